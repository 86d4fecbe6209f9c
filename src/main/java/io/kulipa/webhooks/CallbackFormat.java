package io.kulipa.webhooks;

import io.kulipa.payments.Payment;

/** How one dialect tells a merchant about a final payment: the body, the method, the retries. */
public interface CallbackFormat {

    /** The callback body for a payment in its final state. */
    String render(Payment payment);

    default String method() {
        return "POST";
    }

    RetryPolicy retryPolicy();
}
