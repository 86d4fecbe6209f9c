package io.kulipa.callbacks;

/** The record of one-shot callbacks that are not about a payment (pre-approvals); implemented in {@code store}. */
public interface CallbackAttempts {

    /**
     * @param subject    what the callback was about, such as "momo-preapproval"
     * @param httpStatus null when no HTTP answer came back
     */
    void record(String subject, String subjectId, String url, String method, Integer httpStatus, String error,
                long durationMillis);
}
