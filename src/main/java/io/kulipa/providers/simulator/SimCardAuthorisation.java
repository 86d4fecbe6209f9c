package io.kulipa.providers.simulator;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One authorisation (or refund credit) at a simulated issuer, by Kulipa's payment reference.
 *
 * @param planned      what happens at {@code dueAt} without the customer: APPROVE (auto mode), EXPIRE, CREDIT
 * @param responseCode the ISO 8583 response code once decided; null for a time-out or a refusal on the handset
 */
public record SimCardAuthorisation(String reference, String providerRef, String operation, String lookupHash,
                                   String last4, String msisdn, BigDecimal amount, String currency, String description,
                                   Status status, String planned, String responseCode, String failureCode,
                                   Instant dueAt, Instant created, Instant finished) {

    public enum Status {
        AWAITING_PIN, APPROVED, DECLINED, EXPIRED, REJECTED;

        public boolean isFinal() {
            return this != AWAITING_PIN;
        }
    }

    public static final String APPROVE = "APPROVE";
    public static final String EXPIRE = "EXPIRE";
    public static final String CREDIT = "CREDIT";
}
