package io.kulipa.dialects.scantopay.remote.purchases;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kulipa.callbacks.CallbackFormat;
import io.kulipa.callbacks.CallbackPolicy;
import io.kulipa.callbacks.RetryPolicy;
import io.kulipa.dialects.scantopay.notifications.ReversingUnacknowledgedPurchase;
import io.kulipa.payments.Payment;
import java.time.Duration;

/**
 * The per-purchase webhook of the Remote API: the purchase's final answer as JSON, the same body
 * {@code transactionState} answers (a reversal tells END_REVERSED for the same transactionId).
 * Only the URL given with the purchase is called. Retries run inside the acknowledgement window;
 * a successful purchase whose webhook is finally not acknowledged with HTTP 200 is reversed by
 * the WIG dialect's fail-safe, here for {@code scantopay-remote}.
 */
public final class RemoteWebhooks implements CallbackFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RemoteStates states;
    private final CallbackPolicy policy;

    public RemoteWebhooks(RemoteStates states, Duration ackWindow, ReversingUnacknowledgedPurchase reversing) {
        this.states = states;
        this.policy = reversing.policyWithin(ackWindow);
    }

    @Override
    public String render(Payment p) {
        try {
            return JSON.writeValueAsString(states.answer(p));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a webhook body does not serialise", e);
        }
    }

    @Override
    public boolean usesMerchantCallbackUrl() {
        return false;
    }

    @Override
    public RetryPolicy retryPolicy() {
        return policy.retries();
    }

    @Override
    public CallbackPolicy policy() {
        return policy;
    }
}
