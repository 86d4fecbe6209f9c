package io.kulipa.webhooks;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The record of every delivery attempt; implemented in {@code store}. */
public interface WebhookAttempts {

    /** @param httpStatus null when no HTTP answer came back */
    void record(long jobId, UUID paymentId, String url, Integer httpStatus, String error, long durationMillis);

    /** The attempts of a payment, oldest first: outbox id, url, status, error, duration and time. */
    List<Map<String, Object>> forPayment(UUID paymentId);
}
