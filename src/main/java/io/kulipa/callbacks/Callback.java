package io.kulipa.callbacks;

import java.util.UUID;

/**
 * One callback as it is to be sent now, rendered by the dialect of its subject.
 *
 * @param dialect    the dialect that speaks it, for metrics
 * @param noun       what it is about, in the singular ("deposit", "pre-approval"), for messages
 * @param merchantId whose callback it is: a merchant has at most so many deliveries under way
 * @param url        where it goes, or null when no callback URL is configured
 * @param method     POST or PUT
 * @param body       the body (JSON for most dialects), or null when there is no URL
 * @param contentType the body's Content-Type
 */
public record Callback(String dialect, String noun, UUID merchantId, String url, String method, String body,
                       CallbackPolicy policy, String contentType) {

    public static final String JSON = "application/json";

    /** A callback with a JSON body. */
    public Callback(String dialect, String noun, UUID merchantId, String url, String method, String body,
                    CallbackPolicy policy) {
        this(dialect, noun, merchantId, url, method, body, policy, JSON);
    }
}
