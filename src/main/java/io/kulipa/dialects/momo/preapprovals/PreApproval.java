package io.kulipa.dialects.momo.preapprovals;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer's advance approval of payments to one merchant in one currency (MoMo's
 * pre-approval). Once the customer approved it on the handset and until {@code expiresAt}, a
 * request to pay of that merchant to that payer needs no further approval.
 *
 * @param id             the merchant's X-Reference-Id
 * @param callbackMethod PUT or POST, as the API version that was called sends its callbacks
 * @param reason         why it failed, as a core failure code name (PAYMENT_NOT_APPROVED, EXPIRED)
 */
public record PreApproval(UUID id, UUID merchantId, UUID apiUserId, String correspondent, String msisdn,
                          String currency, String payerMessage, long validitySeconds, String callbackUrl,
                          String callbackMethod, Status status, String reason, Instant expiresAt,
                          Instant createdAt, Instant finishedAt) {

    /** The subject kind of a pre-approval's callback in the outbox. */
    public static final String CALLBACK_SUBJECT = "momo-preapproval";

    public enum Status { PENDING, SUCCESSFUL, FAILED }
}
