package io.kulipa.dialects.jenga.pushes;

import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentStore;
import java.time.Clock;
import java.util.Optional;

/**
 * Sends a final push's callback again on the merchant's request, also after an earlier delivery
 * was acknowledged: a merchant that lost what it received asks for it again. Only a delivery
 * still under way is not doubled.
 */
public final class ResendingPushCallback {

    /** What became of the request: empty reason means the callback is on its way. */
    public record Result(boolean accepted, String rejectionReason) {
    }

    private final PaymentStore payments;
    private final WorkHandOff handOff;
    private final Clock clock;

    public ResendingPushCallback(PaymentStore payments, WorkHandOff handOff, Clock clock) {
        this.payments = payments;
        this.handOff = handOff;
        this.clock = clock;
    }

    public Result resend(Payment push) {
        if (!push.state().isFinal()) {
            return new Result(false, "The push has not reached a final state yet: its status is code 0");
        }
        Optional<PaymentStore.JobSummary> latest = payments.latestJob(push.id(), JobKind.WEBHOOK);
        if (latest.isPresent() && "PENDING".equals(latest.get().state())) {
            return new Result(false, "The callback of this push is still being delivered");
        }
        payments.note(push.id(), "CALLBACK_RESEND_REQUESTED", null);
        handOff.handOff(payments.enqueue(push.id(), new NewJob(JobKind.WEBHOOK, clock.instant(), null, true)));
        return new Result(true, null);
    }
}
