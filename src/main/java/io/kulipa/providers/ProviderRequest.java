package io.kulipa.providers;

import java.math.BigDecimal;

/**
 * What a connector needs to move money. {@code reference} is Kulipa's own payment id: a
 * connector must treat a second submit with the same reference as the same request.
 */
public record ProviderRequest(String reference, Operation operation, String correspondent, String msisdn,
                              BigDecimal amount, String currency, String statementDescription,
                              String preAuthorisationCode) {
}
