package io.kulipa.callbacks;

import io.kulipa.payments.Payment;

/** How one dialect tells a merchant about a final payment: the body, the method, the retries. */
public interface CallbackFormat {

    /** The callback body for a payment in its final state. */
    String render(Payment payment);

    /** The HTTP method of this payment's callback; MoMo's depends on the API version it was made with. */
    default String method(Payment payment) {
        return "POST";
    }

    /**
     * The Content-Type of this payment's callback body. JSON for every dialect but Scan to Pay,
     * whose notification body is a Base64 string.
     */
    default String contentType(Payment payment) {
        return "application/json";
    }

    RetryPolicy retryPolicy();

    /**
     * The whole delivery policy of this dialect's payment callbacks: its retries and, for a
     * dialect that reacts to a callback never acknowledged (Scan to Pay), its hook.
     */
    default CallbackPolicy policy() {
        return CallbackPolicy.retrying(retryPolicy());
    }

    /**
     * Whether a payment without a callback URL of its own is called back at the merchant's URL
     * for its kind. MoMo calls back only to the URL given with the request, so it says no.
     */
    default boolean usesMerchantCallbackUrl() {
        return true;
    }
}
