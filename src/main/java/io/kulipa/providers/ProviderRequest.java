package io.kulipa.providers;

import java.math.BigDecimal;

/**
 * What a connector needs to move money. {@code reference} is Kulipa's own payment id: a
 * connector must treat a second submit with the same reference as the same request.
 */
public record ProviderRequest(String reference, Operation operation, String correspondent, String msisdn,
                              BigDecimal amount, String currency, String statementDescription,
                              String preAuthorisationCode) {

    /**
     * A pre-authorisation code with this prefix means the payer has already approved the payment
     * with their PIN (a MoMo invoice paid from the handset), so the operator must not prompt again.
     * pawaPay's codes are letters and digits only, so no client can send it.
     */
    public static final String PRE_APPROVED_PREFIX = "INVOICE:";

    public boolean preApproved() {
        return preAuthorisationCode != null && preAuthorisationCode.startsWith(PRE_APPROVED_PREFIX);
    }
}
