package io.kulipa.payments;

import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.WorkHandOff;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sends a final payment's callback again on the merchant's request. Only a payment whose
 * last delivery has failed qualifies: a delivery under way or done is not repeated.
 */
public final class ResendingCallback {

    /** What became of the request: empty reason means accepted. */
    public record Result(boolean accepted, String rejectionReason) {
        static Result rejected(String why) {
            return new Result(false, why);
        }
    }

    private final PaymentStore store;
    private final MerchantStore merchants;
    private final WorkHandOff handOff;
    private final Clock clock;

    public ResendingCallback(PaymentStore store, MerchantStore merchants, WorkHandOff handOff, Clock clock) {
        this.store = store;
        this.merchants = merchants;
        this.handOff = handOff;
        this.clock = clock;
    }

    /** @param dialect the dialect asking: it resends only the callbacks of its own payments */
    public Result resend(UUID merchantId, String dialect, PaymentKind kind, String clientRef) {
        String noun = kind.name().toLowerCase();
        Optional<Payment> found = store.find(merchantId, dialect, kind, clientRef);
        if (found.isEmpty()) {
            return Result.rejected("No " + noun + " with id " + clientRef + " was found");
        }
        Payment p = found.get();
        if (!p.state().isFinal()) {
            return Result.rejected("The " + noun + " has not reached a final state yet");
        }
        boolean hasUrl = p.callbackUrl() != null
                || merchants.byId(merchantId).flatMap(m -> m.callbackUrl(kind)).isPresent();
        if (!hasUrl) {
            return Result.rejected("No callback URL is configured for " + noun + "s");
        }
        Optional<PaymentStore.JobSummary> latest = store.latestJob(p.id(), JobKind.WEBHOOK);
        if (latest.isPresent() && "PENDING".equals(latest.get().state())) {
            return Result.rejected("The callback for this " + noun + " is still being delivered");
        }
        if (latest.isPresent() && "DONE".equals(latest.get().state())) {
            return Result.rejected("The callback for this " + noun + " has already been delivered");
        }
        List<Job> leased = store.enqueue(p.id(), new NewJob(JobKind.WEBHOOK, clock.instant(), null, true));
        store.note(p.id(), "CALLBACK_RESEND_REQUESTED", null);
        handOff.handOff(leased);
        return new Result(true, null);
    }
}
