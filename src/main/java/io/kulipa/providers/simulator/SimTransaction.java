package io.kulipa.providers.simulator;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A payment as a simulated operator books it.
 *
 * @param planned what the operator does by itself at {@code dueAt}: {@link #APPROVE} a prompt,
 *                let it {@link #EXPIRE}, {@link #CREDIT} a payout, or a scenario outcome from
 *                the test-number table (a failure code, NO_CALLBACK or COMPLETED)
 */
public record SimTransaction(String reference, String providerRef, String operation, String correspondent,
                             String msisdn, BigDecimal amount, String currency, String description,
                             Status status, String planned, String failureCode, Instant dueAt, int pinAttempts,
                             boolean sendCallback, Instant created, Instant finished) {

    public static final String APPROVE = "APPROVE";
    public static final String EXPIRE = "EXPIRE";
    public static final String CREDIT = "CREDIT";

    public enum Status {
        /** Being processed by the operator; no customer action needed. */
        PROCESSING,
        /** A PIN prompt is on the customer's handset. */
        AWAITING_APPROVAL,
        /** The operator never finishes it (the "no callback" test numbers). */
        STUCK,
        COMPLETED,
        FAILED;

        public boolean isFinal() {
            return this == COMPLETED || this == FAILED;
        }
    }
}
