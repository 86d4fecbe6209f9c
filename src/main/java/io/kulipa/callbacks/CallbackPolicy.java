package io.kulipa.callbacks;

import java.util.UUID;

/**
 * How one dialect's callbacks are delivered: when to try again ({@link RetryPolicy}: pawaPay for
 * 15 minutes, MoMo once) and what to do when the receiver never acknowledges one. Only HTTP 200
 * acknowledges a callback. The acknowledgement deadline is the end of the retry window, counted
 * from the callback's creation: a policy that must react within 45 s retries within 45 s.
 *
 * @param onUnacknowledged called once per callback that is finally not acknowledged (retries
 *                         over, URL refused or missing); {@link UnacknowledgedHook#NONE} for none
 */
public record CallbackPolicy(RetryPolicy retries, UnacknowledgedHook onUnacknowledged) {

    /** pawaPay: backoff and jitter for 15 minutes, nothing more when it never arrives. */
    public static final CallbackPolicy FIFTEEN_MINUTES = retrying(RetryPolicy.FIFTEEN_MINUTES);

    /** MoMo: one attempt, whatever comes of it. */
    public static final CallbackPolicy ONCE = retrying(RetryPolicy.ONCE);

    public static CallbackPolicy retrying(RetryPolicy retries) {
        return new CallbackPolicy(retries, UnacknowledgedHook.NONE);
    }

    public boolean reactsToUnacknowledged() {
        return onUnacknowledged != UnacknowledgedHook.NONE;
    }

    /**
     * A callback its receiver never acknowledged.
     *
     * @param paymentId the payment when the subject is one (Scan to Pay reverses it), else null
     * @param lastError what the last attempt came to
     */
    public record Unacknowledged(String subjectKind, String subjectId, UUID paymentId, String lastError) {
    }

    /**
     * A policy's reaction to an unacknowledged callback. It runs from a durable outbox job, so it
     * runs once in a normal life and again only after a crash in the middle of it: it must be
     * idempotent (a conditional state change, such as reversing a payment that is still final).
     */
    @FunctionalInterface
    public interface UnacknowledgedHook {

        UnacknowledgedHook NONE = u -> { };

        void react(Unacknowledged callback) throws Exception;
    }
}
