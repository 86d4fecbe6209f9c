package io.kulipa.dialects.momo.vouchers;

import io.kulipa.callbacks.SendingCallbackOnce;
import io.kulipa.callbacks.UrlGuard;

import io.kulipa.dialects.momo.vouchers.Voucher;
import io.kulipa.dialects.momo.vouchers.VoucherCallbacks;
import io.kulipa.dialects.momo.vouchers.VoucherStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MoMo's voucher callback: once, by POST, to the X-Callback-Url the voucher was created with,
 * when it reaches a final state. MoMo sends its callbacks once, so there is no retry; the URL
 * passes the {@link UrlGuard} first (through {@link SendingCallbackOnce}) and every attempt (or refusal) is recorded. Delivery runs
 * on a virtual thread after the change has committed, so a slow receiver never holds up the
 * answer; at most {@link #IN_FLIGHT_MAX} run at once and any more are recorded as skipped.
 */
public final class DeliveringVoucherCallback implements VoucherCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveringVoucherCallback.class);
    static final int IN_FLIGHT_MAX = 64;

    private final VoucherStore store;
    private final SendingCallbackOnce sending;
    private final Function<Voucher, String> render;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_MAX);

    /** @param render the callback body in the dialect's words */
    public DeliveringVoucherCallback(VoucherStore store, SendingCallbackOnce sending, Function<Voucher, String> render) {
        this.store = store;
        this.sending = sending;
        this.render = render;
    }

    @Override
    public void finalState(Voucher v) {
        if (v.callbackUrl() == null) {
            return;
        }
        if (!inFlight.tryAcquire()) {
            store.recordCallback(v.id(), v.callbackUrl(), null, "skipped: too many callbacks in flight", 0);
            return;
        }
        executor.execute(() -> {
            try {
                deliver(v);
            } catch (RuntimeException e) {
                LOG.warn("voucher callback for {} could not be recorded: {}", v.id(), e.toString());
            } finally {
                inFlight.release();
            }
        });
    }

    private void deliver(Voucher v) {
        SendingCallbackOnce.Attempt a = sending.attempt(v.callbackUrl(), "POST", render.apply(v));
        store.recordCallback(v.id(), v.callbackUrl(), a.httpStatus(), a.error(), a.durationMillis());
    }
}
