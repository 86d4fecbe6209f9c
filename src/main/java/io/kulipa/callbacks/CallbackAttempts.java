package io.kulipa.callbacks;

import io.kulipa.outbox.Job;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The one record of every callback attempt, of every subject; implemented in {@code store}. */
public interface CallbackAttempts {

    /**
     * What one attempt came to.
     *
     * @param url        null when the subject had no callback URL
     * @param httpStatus null when no HTTP answer came back
     * @param error      why no acknowledged answer came (a refusal of the URL included), or null
     */
    record Attempt(String url, String method, Integer httpStatus, String error, long durationMillis) {
    }

    /**
     * What becomes of the delivery job after an attempt.
     *
     * @param unacknowledged the job failed and its policy reacts: a durable UNACKNOWLEDGED job is
     *                       added with the settlement, so the hook runs even if this node dies now
     */
    record Settlement(String jobState, Instant retryAt, String error, boolean unacknowledged) {
        public static final Settlement DELIVERED = new Settlement("DONE", null, null, false);

        public static Settlement retry(Instant at, String error) {
            return new Settlement("PENDING", at, error, false);
        }

        public static Settlement failed(String error) {
            return new Settlement("FAILED", null, error, false);
        }

        public static Settlement unacknowledged(String error) {
            return new Settlement("FAILED", null, error, true);
        }
    }

    /**
     * Records an attempt and settles its job in one transaction. Only the write that moves the
     * job out of PENDING adds the UNACKNOWLEDGED job, so a callback reaches its hook once.
     */
    void record(Job job, Attempt attempt, Settlement settlement);

    /** One attempt with its job and what becomes of it, as {@link #recordAll} takes them. */
    record Recorded(Job job, Attempt attempt, Settlement settlement) {
    }

    /** Records several attempts, each as {@link #record} does, in one transaction (ADR 20). */
    default void recordAll(List<Recorded> attempts) {
        attempts.forEach(r -> record(r.job(), r.attempt(), r.settlement()));
    }

    /** The attempts of a payment's callbacks, oldest first: outbox id, url, status, error, duration and time. */
    List<Map<String, Object>> forPayment(UUID paymentId);
}
