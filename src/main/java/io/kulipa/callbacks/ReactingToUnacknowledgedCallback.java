package io.kulipa.callbacks;

import io.kulipa.logging.Failures;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the policy hook of a callback its receiver never acknowledged (the UNACKNOWLEDGED job
 * that {@link DeliveringCallback} wrote with the last attempt): Scan to Pay's policy reverses
 * the payment. The job is durable, so the hook runs even when the node that gave up on the
 * delivery dies right after; a hook that fails is tried again a bounded number of times.
 */
public final class ReactingToUnacknowledgedCallback implements JobWorker.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ReactingToUnacknowledgedCallback.class);
    static final int HOOK_ATTEMPTS_MAX = 10;
    static final Duration HOOK_RETRY_DELAY = Duration.ofSeconds(5);

    private final Map<String, CallbackSource> sources;
    private final MeterRegistry metrics;
    private final Clock clock;

    public ReactingToUnacknowledgedCallback(Map<String, CallbackSource> sources, MeterRegistry metrics, Clock clock) {
        this.sources = Map.copyOf(sources);
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public JobWorker.Outcome handle(Job job) {
        Optional<CallbackPolicy> policy = Optional.ofNullable(sources.get(job.subjectKind()))
                .flatMap(s -> s.callback(job.subjectId())).map(Callback::policy);
        if (policy.isEmpty()) {
            return new JobWorker.Outcome.GiveUp(job.subjectKind() + " is unknown or has no callback");
        }
        try {
            policy.get().onUnacknowledged().react(new CallbackPolicy.Unacknowledged(job.subjectKind(),
                    job.subjectId(), job.paymentId(), job.payload()));
        } catch (Exception e) {
            if (job.attempts() >= HOOK_ATTEMPTS_MAX) {
                LOG.error("the unacknowledged-callback hook of {} {} failed {} times; giving up: {}", job.subjectKind(),
                        job.subjectId(), job.attempts(), Failures.describe(e));
                return new JobWorker.Outcome.GiveUp("hook failed: " + Failures.describe(e));
            }
            LOG.warn("the unacknowledged-callback hook of {} {} failed; trying again: {}", job.subjectKind(),
                    job.subjectId(), Failures.describe(e));
            return new JobWorker.Outcome.RetryAt(clock.instant().plus(HOOK_RETRY_DELAY), "hook failed: " + Failures.describe(e));
        }
        metrics.counter("kulipa_callbacks_unacknowledged", "subject", job.subjectKind()).increment();
        return JobWorker.Outcome.DONE;
    }
}
