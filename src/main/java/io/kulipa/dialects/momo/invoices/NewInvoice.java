package io.kulipa.dialects.momo.invoices;

import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import java.time.Duration;
import java.util.UUID;

/**
 * An invoice request, already parsed from MoMo's wire format.
 *
 * @param callbackUrl already checked against the API user's callback host, or null
 */
public record NewInvoice(Merchant merchant, UUID referenceId, UUID apiUserId, String environment,
                         String correspondent, String externalId, Amount amount, String currency,
                         String payerMsisdn, Invoice.Party payee, String description, Duration validity,
                         String callbackUrl) {
}
