package io.kulipa.webhooks;

import io.kulipa.payments.vouchers.Voucher;
import io.kulipa.payments.vouchers.VoucherCallbacks;
import io.kulipa.payments.vouchers.VoucherStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MoMo's voucher callback: once, by POST, to the X-Callback-Url the voucher was created with,
 * when it reaches a final state. MoMo sends its callbacks once, so there is no retry; the URL
 * passes the {@link UrlGuard} first and every attempt (or refusal) is recorded. Delivery runs
 * on a virtual thread after the change has committed, so a slow receiver never holds up the
 * answer; at most {@link #IN_FLIGHT_MAX} run at once and any more are recorded as skipped.
 */
public final class DeliveringVoucherCallback implements VoucherCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveringVoucherCallback.class);
    static final int IN_FLIGHT_MAX = 64;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final VoucherStore store;
    private final UrlGuard guard;
    private final Function<Voucher, String> render;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_MAX);
    private final HttpClient http;

    /** @param render the callback body in the dialect's words */
    public DeliveringVoucherCallback(VoucherStore store, UrlGuard guard, Function<Voucher, String> render) {
        this.store = store;
        this.guard = guard;
        this.render = render;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
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
        Optional<String> refusal = guard.refusal(v.callbackUrl());
        if (refusal.isPresent()) {
            store.recordCallback(v.id(), v.callbackUrl(), null, refusal.get(), 0);
            return;
        }
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(v.callbackUrl())).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(render.apply(v))).build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        store.recordCallback(v.id(), v.callbackUrl(), status, error, (System.nanoTime() - started) / 1_000_000);
    }
}
