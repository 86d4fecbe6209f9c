package io.kulipa.payments;

import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.WorkHandOff;

import io.kulipa.providers.ProviderConnector;
import io.kulipa.providers.ProviderStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an operator's final outcome to a payment, whether it came as the operator's
 * callback or from a status check. The first final outcome wins; a repeat is noted, and a
 * contradicting one is escalated in the history, never applied.
 */
public final class RecordingProviderOutcome implements ProviderConnector.OutcomeListener {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingProviderOutcome.class);

    private final PaymentStore store;
    private final WorkHandOff handOff;
    private final Clock clock;
    private final DepositPostings depositPostings;

    public RecordingProviderOutcome(PaymentStore store, WorkHandOff handOff, Clock clock) {
        this(store, handOff, clock, DepositPostings.CORE);
    }

    /** @param depositPostings the postings of a completed deposit, which may depend on its dialect */
    public RecordingProviderOutcome(PaymentStore store, WorkHandOff handOff, Clock clock,
                                    DepositPostings depositPostings) {
        this.store = store;
        this.handOff = handOff;
        this.clock = clock;
        this.depositPostings = depositPostings;
    }

    @Override
    public void onOutcome(String reference, ProviderStatus.Final outcome) {
        UUID id;
        try {
            id = UUID.fromString(reference);
        } catch (IllegalArgumentException e) {
            LOG.warn("operator outcome for unknown reference format ignored");
            return;
        }
        apply(id, outcome);
    }

    /** Returns true when this outcome moved the payment to its final state. */
    public boolean apply(UUID paymentId, ProviderStatus.Final outcome) {
        return apply(paymentId, outcome, null);
    }

    /**
     * Applies the outcome; {@code settlesJob} is the job that found it (a status check), marked
     * done in the same transaction, or null.
     */
    public boolean apply(UUID paymentId, ProviderStatus.Final outcome, Long settlesJob) {
        List<NewJob> webhook = List.of(new NewJob(JobKind.WEBHOOK, clock.instant(), null, true));
        Optional<PaymentStore.Transitioned> moved = switch (outcome) {
            case ProviderStatus.Completed c -> store.transition(paymentId, PaymentState.COMPLETED,
                    new PaymentChange("OPERATOR_COMPLETED", c.providerReference(), c.processedAmount(), null, null,
                            c.respondedAt(), c.correspondentIds()), webhook,
                    p -> p.kind() == PaymentKind.DEPOSIT ? depositPostings.onCompleted(p, c.processedAmount())
                            : Accounting.onCompleted(p, c.processedAmount()), settlesJob);
            case ProviderStatus.Failed f -> store.transition(paymentId, PaymentState.FAILED,
                    new PaymentChange("OPERATOR_FAILED", f.providerReference(), null,
                            FailureCode.fromProvider(f.failureCode()), f.failureMessage(), f.respondedAt(), null),
                    webhook, Accounting::onFailed, settlesJob);
        };
        if (moved.isPresent()) {
            handOff.handOff(moved.get().leasedJobs());
            return true;
        }
        Optional<Payment> now = store.get(paymentId);
        if (now.isEmpty()) {
            LOG.warn("operator outcome for unknown payment {} ignored", paymentId);
        } else {
            noteLateOutcome(now.get(), outcome);
        }
        return false;
    }

    private void noteLateOutcome(Payment p, ProviderStatus.Final outcome) {
        PaymentState reported = outcome instanceof ProviderStatus.Completed ? PaymentState.COMPLETED
                : PaymentState.FAILED;
        if (p.state() == reported) {
            store.note(p.id(), "DUPLICATE_OUTCOME_IGNORED", reported.name());
        } else {
            LOG.error("payment {} is {} but its operator now reports {}; escalated, not applied",
                    p.id(), p.state(), reported);
            store.note(p.id(), "CONFLICTING_OUTCOME_ESCALATED", reported.name());
        }
    }
}
