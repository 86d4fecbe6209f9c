package io.kulipa.payments;

import io.kulipa.logging.Failures;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.JobWorker;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.WorkHandOff;

import io.kulipa.providers.Availability;
import io.kulipa.providers.Connectors;
import io.kulipa.providers.ProviderRequest;
import io.kulipa.providers.SubmitResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an accepted payment to its operator (the SUBMIT job). The operator's answer moves the
 * payment to SUBMITTED, FAILED, or IN_DOUBT when there was no usable answer; a time-out is
 * never taken for a failure.
 */
public final class SubmittingPayment implements JobWorker.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(SubmittingPayment.class);

    private final PaymentStore store;
    private final Connectors connectors;
    private final ReconciliationPolicy policy;
    private final WorkHandOff handOff;
    private final Availability availability;
    private final Clock clock;

    public SubmittingPayment(PaymentStore store, Connectors connectors, ReconciliationPolicy policy,
                             WorkHandOff handOff, Availability availability, Clock clock) {
        this.availability = availability;
        this.store = store;
        this.connectors = connectors;
        this.policy = policy;
        this.handOff = handOff;
        this.clock = clock;
    }

    @Override
    public JobWorker.Outcome handle(Job job) {
        // A payment accepted here a moment ago is taken from memory, once; any other is read.
        Optional<Payment> found = store.takeAcceptedHere(job.paymentId()).or(() -> store.get(job.paymentId()));
        if (found.isEmpty() || found.get().state() != PaymentState.ACCEPTED) {
            return JobWorker.Outcome.DONE;
        }
        Payment p = found.get();
        SubmitResult result;
        try {
            result = connectors.forCorrespondent(p.correspondent()).submit(request(p));
        } catch (RuntimeException e) {
            LOG.warn("submit of payment {} ended without an answer: {}", p.id(), Failures.describe(e));
            result = new SubmitResult.Unknown(e.getClass().getSimpleName());
        }
        Instant now = clock.instant();
        availability.observe(p.correspondent(), p.kind().operation(), result instanceof SubmitResult.Unknown);
        Optional<PaymentStore.Transitioned> moved = switch (result) {
            case SubmitResult.Accepted a -> store.transition(p.id(), PaymentState.SUBMITTED,
                    new PaymentChange("SUBMITTED", a.providerReference(), null, null, null, null, null),
                    List.of(new NewJob(JobKind.CHECK, now.plus(policy.firstCheckAfter()), null, false)),
                    moved_ -> List.of(), job.id());
            case SubmitResult.Rejected r -> store.transition(p.id(), PaymentState.FAILED,
                    new PaymentChange("OPERATOR_REJECTED", null, null, FailureCode.fromProvider(r.failureCode()),
                            r.message(), now, null),
                    List.of(new NewJob(JobKind.WEBHOOK, now, null, true)), Accounting::onFailed, job.id());
            case SubmitResult.Unknown u -> store.transition(p.id(), PaymentState.IN_DOUBT,
                    new PaymentChange("SUBMIT_OUTCOME_UNKNOWN: " + u.reason(), null, null, null, null, null, null),
                    List.of(new NewJob(JobKind.CHECK, now.plus(policy.inDoubtCheckAfter()), null, false)),
                    moved_ -> List.of(), job.id());
        };
        if (moved.isEmpty()) {
            // The operator answered first (or the payment moved on): nothing left to record.
            return JobWorker.Outcome.DONE;
        }
        handOff.handOff(moved.get().leasedJobs());
        return JobWorker.Outcome.SETTLED;
    }

    static ProviderRequest request(Payment p) {
        return new ProviderRequest(p.id().toString(), p.kind().operation(), p.correspondent(), p.msisdn(),
                p.amount(), p.currency(), p.statementDescription(), p.preAuthorisationCode());
    }
}
