package io.kulipa.callbacks;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The record of every delivery attempt; implemented in {@code store}. */
public interface WebhookAttempts {

    /** What becomes of the delivery job after an attempt. */
    record Settlement(String jobState, java.time.Instant retryAt, String error) {
        public static final Settlement DELIVERED = new Settlement("DONE", null, null);

        public static Settlement retry(java.time.Instant at, String error) {
            return new Settlement("PENDING", at, error);
        }

        public static Settlement failed(String error) {
            return new Settlement("FAILED", null, error);
        }
    }

    /**
     * Records an attempt and settles its job in one statement.
     *
     * @param httpStatus null when no HTTP answer came back
     */
    void record(long jobId, UUID paymentId, String url, Integer httpStatus, String error, long durationMillis,
                Settlement settlement);

    /** The attempts of a payment, oldest first: outbox id, url, status, error, duration and time. */
    List<Map<String, Object>> forPayment(UUID paymentId);
}
