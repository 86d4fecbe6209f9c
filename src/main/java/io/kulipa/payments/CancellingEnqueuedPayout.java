package io.kulipa.payments;

import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.WorkHandOff;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Fails a payout that waits in ENQUEUED, on the merchant's request: MANUALLY_CANCELLED, its
 * reservation released and its callback sent. Any other state is refused with the reason.
 */
public final class CancellingEnqueuedPayout {

    private final PaymentStore store;
    private final WorkHandOff handOff;
    private final Clock clock;

    public CancellingEnqueuedPayout(PaymentStore store, WorkHandOff handOff, Clock clock) {
        this.store = store;
        this.handOff = handOff;
        this.clock = clock;
    }

    /**
     * Empty when cancelled; otherwise why not.
     *
     * @param dialect the dialect asking: it cancels only its own payouts
     */
    public Optional<String> cancel(UUID merchantId, String dialect, String payoutId) {
        Optional<Payment> found = store.find(merchantId, dialect, PaymentKind.PAYOUT, payoutId);
        if (found.isEmpty()) {
            return Optional.of("No payout with id " + payoutId + " was found");
        }
        Payment p = found.get();
        if (p.state() != PaymentState.ENQUEUED) {
            return Optional.of("The payout is " + p.state() + ", not ENQUEUED; only an enqueued payout can be cancelled");
        }
        Optional<PaymentStore.Transitioned> moved = store.transition(p.id(), PaymentState.FAILED,
                new PaymentChange("MANUALLY_CANCELLED", null, null, FailureCode.MANUALLY_CANCELLED,
                        "The enqueued payout was cancelled by the merchant", clock.instant(), null),
                List.of(new NewJob(JobKind.WEBHOOK, clock.instant(), null, true)), Accounting.onFailed(p));
        if (moved.isEmpty()) {
            return Optional.of("The payout left ENQUEUED while it was being cancelled");
        }
        handOff.handOff(moved.get().leasedJobs());
        return Optional.empty();
    }
}
