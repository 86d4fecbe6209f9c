package io.kulipa.callbacks;

import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobWorker;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a payment's final-status callback (the WEBHOOK job): renders the body in the
 * payment's dialect, refuses unsafe URLs, records every attempt, and retries by the
 * dialect's policy. Only HTTP 200 counts as delivered. A merchant may have at most
 * {@link #PER_MERCHANT_IN_FLIGHT} deliveries under way, so a slow merchant cannot take
 * every delivery slot from the others.
 */
public final class DeliveringWebhook implements JobWorker.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveringWebhook.class);
    static final int PER_MERCHANT_IN_FLIGHT = 8;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BUSY_MERCHANT_DELAY = Duration.ofMillis(500);

    private final PaymentStore payments;
    private final MerchantStore merchants;
    private final WebhookAttempts attempts;
    private final Map<String, CallbackFormat> formats;
    private final UrlGuard guard;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final HttpClient http;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public DeliveringWebhook(PaymentStore payments, MerchantStore merchants, WebhookAttempts attempts,
                             Map<String, CallbackFormat> formats, UrlGuard guard, MeterRegistry metrics, Clock clock) {
        this.payments = payments;
        this.merchants = merchants;
        this.attempts = attempts;
        this.formats = Map.copyOf(formats);
        this.guard = guard;
        this.metrics = metrics;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public JobWorker.Outcome handle(Job job) {
        Optional<Payment> found = payments.get(job.paymentId());
        if (found.isEmpty() || !found.get().state().isFinal()) {
            return new JobWorker.Outcome.GiveUp("payment is not final");
        }
        Payment p = found.get();
        AtomicInteger count = inFlight.computeIfAbsent(p.merchantId(), id -> new AtomicInteger());
        if (count.incrementAndGet() > PER_MERCHANT_IN_FLIGHT) {
            count.decrementAndGet();
            return new JobWorker.Outcome.RetryAt(clock.instant().plus(BUSY_MERCHANT_DELAY), "merchant busy");
        }
        try {
            return deliver(job, p);
        } finally {
            count.decrementAndGet();
        }
    }

    private JobWorker.Outcome deliver(Job job, Payment p) {
        CallbackFormat format = formats.get(p.dialect());
        Optional<String> url = Optional.ofNullable(p.callbackUrl())
                // A payment of a dialect without a callback format of its own (an invoice's deposit,
                // whose merchant hears of the invoice instead) is never sent to another dialect's URL.
                .or(() -> format == null || !format.usesMerchantCallbackUrl() ? Optional.empty()
                        : merchants.byId(p.merchantId()).flatMap((Merchant m) -> m.callbackUrl(p.kind())));
        if (format == null || url.isEmpty()) {
            return refuse(job, p, url.orElse(null), "no callback URL is configured for " + p.kind().name().toLowerCase() + "s");
        }
        Optional<String> refusal = guard.refusal(url.get());
        if (refusal.isPresent()) {
            return refuse(job, p, url.get(), refusal.get());
        }
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url.get())).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .method(format.method(p), HttpRequest.BodyPublishers.ofString(format.render(p))).build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        boolean delivered = status != null && status == 200;
        metrics.counter("kulipa_webhook_attempts", "dialect", p.dialect(), "outcome", delivered ? "delivered"
                : "failed").increment();
        WebhookAttempts.Settlement settlement;
        if (delivered) {
            settlement = WebhookAttempts.Settlement.DELIVERED;
        } else {
            String why = status != null ? "HTTP " + status : error;
            settlement = format.retryPolicy().next(job.created(), job.attempts(), clock.instant())
                    .map(at -> WebhookAttempts.Settlement.retry(at, why))
                    .orElseGet(() -> {
                        LOG.warn("callback for payment {} not delivered after {} attempts: {}", p.id(),
                                job.attempts(), why);
                        return WebhookAttempts.Settlement.failed(why);
                    });
        }
        // The attempt and what becomes of the job are one write.
        attempts.record(job.id(), p.id(), url.get(), status, error, millis, settlement);
        return JobWorker.Outcome.SETTLED;
    }

    private JobWorker.Outcome refuse(Job job, Payment p, String url, String why) {
        attempts.record(job.id(), p.id(), url, null, why, 0, WebhookAttempts.Settlement.failed(why));
        metrics.counter("kulipa_webhook_attempts", "dialect", p.dialect(), "outcome", "refused").increment();
        if (url == null) {
            // A merchant without a callback URL is a setting, not an error: the attempt row says it.
            LOG.debug("callback for payment {} not sent: {}", p.id(), why);
        } else {
            LOG.warn("callback for payment {} not sent: {}", p.id(), why);
        }
        return JobWorker.Outcome.SETTLED;
    }
}
