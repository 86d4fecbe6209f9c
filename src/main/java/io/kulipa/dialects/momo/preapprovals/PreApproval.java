package io.kulipa.dialects.momo.preapprovals;

import io.kulipa.states.TransitionTable;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer's advance approval of payments to one merchant in one currency (MoMo's
 * pre-approval). Once the customer approved it on the handset and until {@code expiresAt}, a
 * request to pay of that merchant to that payer needs no further approval.
 *
 * @param id             the merchant's X-Reference-Id
 * @param callbackMethod PUT or POST, as the API version that was called sends its callbacks
 * @param reason         why it failed, as a core failure code name (PAYMENT_NOT_APPROVED, APPROVAL_EXPIRED)
 */
public record PreApproval(UUID id, UUID merchantId, UUID apiUserId, String correspondent, String msisdn,
                          String currency, String payerMessage, long validitySeconds, String callbackUrl,
                          String callbackMethod, Status status, String reason, Instant expiresAt,
                          Instant createdAt, Instant finishedAt) {

    /** The subject kind of a pre-approval's callback in the outbox. */
    public static final String CALLBACK_SUBJECT = "momo-preapproval";

    /**
     * PENDING until the customer answers (or the approval window ends); SUCCESSFUL stays
     * SUCCESSFUL when {@code expiresAt} passes, since what it covers is read with the clock.
     */
    public enum Status {
        PENDING,
        SUCCESSFUL,
        FAILED;

        /** The pre-approval's state machine, of the same shape as every other one (docs/states.md renders it). */
        public static final TransitionTable<Status> TABLE = TransitionTable.of("pre-approval", PENDING)
                .allow(PENDING, SUCCESSFUL, FAILED)
                .allow(SUCCESSFUL)
                .allow(FAILED)
                .build();
    }
}
