package io.kulipa.payments;

import io.kulipa.logging.Failures;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.JobWorker;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.WorkHandOff;

import io.kulipa.providers.Connectors;
import io.kulipa.providers.ProviderStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a payment whose outcome has not arrived (the CHECK job): asks the operator, applies
 * a final answer, asks again later with backoff while it is pending, and escalates after the
 * last allowed check. A payment the operator never received is submitted again.
 */
public final class ReconcilingPayment implements JobWorker.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilingPayment.class);

    private final PaymentStore store;
    private final Connectors connectors;
    private final RecordingProviderOutcome outcomes;
    private final ReconciliationPolicy policy;
    private final WorkHandOff handOff;
    private final Clock clock;

    public ReconcilingPayment(PaymentStore store, Connectors connectors, RecordingProviderOutcome outcomes,
                              ReconciliationPolicy policy, WorkHandOff handOff, Clock clock) {
        this.store = store;
        this.connectors = connectors;
        this.outcomes = outcomes;
        this.policy = policy;
        this.handOff = handOff;
        this.clock = clock;
    }

    @Override
    public JobWorker.Outcome handle(Job job) {
        Optional<Payment> found = store.get(job.paymentId());
        if (found.isEmpty() || found.get().state().isFinal()) {
            return JobWorker.Outcome.DONE;
        }
        Payment p = found.get();
        ProviderStatus status;
        try {
            status = connectors.forCorrespondent(p.correspondent()).query(SubmittingPayment.request(p));
        } catch (RuntimeException e) {
            LOG.warn("status check of payment {} failed: {}", p.id(), Failures.describe(e));
            return later(job, p, "status check failed: " + e.getClass().getSimpleName());
        }
        return switch (status) {
            case ProviderStatus.Final f -> outcomes.apply(p.id(), f, job.id())
                    ? JobWorker.Outcome.SETTLED : JobWorker.Outcome.DONE;
            case ProviderStatus.Pending pending -> later(job, p, "operator still processing");
            case ProviderStatus.NotFound nf -> notFound(job, p);
        };
    }

    private JobWorker.Outcome notFound(Job job, Payment p) {
        if (p.state() == PaymentState.IN_DOUBT) {
            // The operator never got it, so sending it again cannot move money twice.
            Instant now = clock.instant();
            store.transition(p.id(), PaymentState.ACCEPTED, PaymentChange.event("RESUBMIT_NOT_FOUND_AT_OPERATOR"),
                            List.of(new NewJob(JobKind.SUBMIT, now, null, true)))
                    .ifPresent(t -> handOff.handOff(t.leasedJobs()));
            return JobWorker.Outcome.DONE;
        }
        LOG.error("payment {} is {} but its operator does not know it; escalated", p.id(), p.state());
        store.note(p.id(), "NOT_FOUND_AT_OPERATOR_ESCALATED", p.state().name());
        return later(job, p, "operator does not know the payment");
    }

    private JobWorker.Outcome later(Job job, Payment p, String why) {
        int checksDone = job.attempts();
        if (checksDone >= policy.maxChecks()) {
            LOG.error("payment {} still {} after {} status checks; escalated for manual resolution",
                    p.id(), p.state(), checksDone);
            store.note(p.id(), "RECONCILIATION_EXHAUSTED_ESCALATED", why);
            return new JobWorker.Outcome.GiveUp(why);
        }
        return new JobWorker.Outcome.RetryAt(clock.instant().plus(policy.nextInterval(checksDone)), why);
    }
}
