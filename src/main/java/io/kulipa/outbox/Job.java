package io.kulipa.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * A unit of durable work claimed from the outbox.
 *
 * @param subjectKind what the job is about: "payment" for the jobs of a payment, or the subject
 *                    kind a dialect registered for its callbacks ("momo-preapproval"...)
 * @param subjectId   the subject's id, as text
 * @param paymentId   the payment, for the jobs of a payment; null for other subjects
 */
public record Job(long id, JobKind kind, String subjectKind, String subjectId, UUID paymentId, int attempts,
                  String payload, Instant created) {

    /** The subject kind of every job about a payment. */
    public static final String PAYMENT = "payment";
}
