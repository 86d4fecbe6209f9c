package io.kulipa.callbacks;

import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every callback (the WEBHOOK job of any subject: a payment's final status, a MoMo
 * pre-approval's, an invoice's, a voucher's): renders it through the source its subject kind
 * registered, refuses unsafe URLs, records every attempt, and retries by the policy of the
 * callback's dialect. Only HTTP 200 counts as delivered. A callback finally not delivered whose
 * policy reacts to that gets a durable UNACKNOWLEDGED job, written with its last attempt. A
 * merchant may have at most {@link #PER_MERCHANT_IN_FLIGHT} deliveries under way, so a slow
 * merchant cannot take every delivery slot from the others; a delivery waits up to
 * {@link #BUSY_MERCHANT_WAIT} for one of its merchant's slots before it is put back for later
 * (issue 14: putting it back at once cost two outbox writes, a claim and a payment read per
 * wait, about twelve outbox row writes per deposit under load).
 */
public final class DeliveringCallback implements JobWorker.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveringCallback.class);
    static final int PER_MERCHANT_IN_FLIGHT = 8;
    /** The only answer that acknowledges a callback. */
    static final int ACKNOWLEDGED_STATUS = 200;
    private static final Duration BUSY_MERCHANT_DELAY = Duration.ofMillis(500);
    /** How long a delivery waits for a slot of its merchant's; also how long a busy merchant may hold a worker slot idle. */
    static final Duration BUSY_MERCHANT_WAIT = Duration.ofSeconds(2);
    /** The in-flight count of callbacks that name no merchant. */
    private static final UUID NO_MERCHANT = new UUID(0, 0);

    private final Map<String, CallbackSource> sources;
    private final CallbackAttempts attempts;
    private final CallbackSender sender;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<UUID, Semaphore> inFlight = new ConcurrentHashMap<>();

    /** @param sources how to render the callbacks of each subject kind */
    public DeliveringCallback(Map<String, CallbackSource> sources, CallbackAttempts attempts, CallbackSender sender,
                              MeterRegistry metrics, Clock clock) {
        this.sources = Map.copyOf(sources);
        this.attempts = attempts;
        this.sender = sender;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public JobWorker.Outcome handle(Job job) throws InterruptedException {
        CallbackSource source = sources.get(job.subjectKind());
        if (source == null) {
            return new JobWorker.Outcome.GiveUp("no callback source for subject kind " + job.subjectKind());
        }
        Optional<Callback> found = source.callback(job.subjectId());
        if (found.isEmpty()) {
            return new JobWorker.Outcome.GiveUp(job.subjectKind() + " is unknown or not final");
        }
        Callback c = found.get();
        if (c.url() == null) {
            return refuse(job, c, "no callback URL is configured for " + c.noun() + "s");
        }
        UUID merchant = c.merchantId() == null ? NO_MERCHANT : c.merchantId();
        Semaphore slots = inFlight.computeIfAbsent(merchant, id -> new Semaphore(PER_MERCHANT_IN_FLIGHT, true));
        if (!slots.tryAcquire(BUSY_MERCHANT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            return new JobWorker.Outcome.RetryAt(clock.instant().plus(BUSY_MERCHANT_DELAY), "merchant busy");
        }
        CallbackSender.Answer a;
        try {
            a = sender.send(c);
        } finally {
            // The slot limits requests to the merchant's server; recording the attempt (a group
            // commit, one fsync away) is not one, so it does not hold the slot (issue 14: with
            // the slot held through the commit a merchant's callbacks went at most 8 per commit).
            slots.release();
        }
        return settle(job, c, a);
    }

    private JobWorker.Outcome settle(Job job, Callback c, CallbackSender.Answer a) {
        if (a.refused()) {
            return refuse(job, c, a.error());
        }
        boolean delivered = a.httpStatus() != null && a.httpStatus() == ACKNOWLEDGED_STATUS;
        metrics.counter("kulipa_webhook_attempts", "dialect", c.dialect(), "outcome", delivered ? "delivered"
                : "failed").increment();
        CallbackAttempts.Settlement settlement;
        if (delivered) {
            settlement = CallbackAttempts.Settlement.DELIVERED;
        } else {
            String why = a.httpStatus() != null ? "HTTP " + a.httpStatus() : a.error();
            settlement = c.policy().retries().next(job.created(), job.attempts(), clock.instant())
                    .map(at -> CallbackAttempts.Settlement.retry(at, why))
                    .orElseGet(() -> {
                        LOG.warn("callback for {} {} not delivered after {} attempts: {}", c.noun(), job.subjectId(),
                                job.attempts(), why);
                        return finallyNotDelivered(c, why);
                    });
        }
        // The attempt and what becomes of the job (and of its hook) are one write.
        attempts.record(job, new CallbackAttempts.Attempt(c.url(), c.method(), a.httpStatus(), a.error(),
                a.durationMillis()), settlement);
        return JobWorker.Outcome.SETTLED;
    }

    /** Nothing was sent and nothing will be: no URL, or one the guard refuses. */
    private JobWorker.Outcome refuse(Job job, Callback c, String why) {
        attempts.record(job, new CallbackAttempts.Attempt(c.url(), c.method(), null, why, 0),
                finallyNotDelivered(c, why));
        metrics.counter("kulipa_webhook_attempts", "dialect", c.dialect(), "outcome", "refused").increment();
        if (c.url() == null) {
            // A merchant without a callback URL is a setting, not an error: the attempt row says it.
            LOG.debug("callback for {} {} not sent: {}", c.noun(), job.subjectId(), why);
        } else {
            LOG.warn("callback for {} {} not sent: {}", c.noun(), job.subjectId(), why);
        }
        return JobWorker.Outcome.SETTLED;
    }

    private static CallbackAttempts.Settlement finallyNotDelivered(Callback c, String why) {
        return c.policy().reactsToUnacknowledged() ? CallbackAttempts.Settlement.unacknowledged(why)
                : CallbackAttempts.Settlement.failed(why);
    }
}
