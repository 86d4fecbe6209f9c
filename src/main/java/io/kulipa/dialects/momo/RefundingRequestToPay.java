package io.kulipa.dialects.momo;

import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.RefundingDeposit;
import java.util.Optional;

/**
 * MoMo's refund: money of a request to pay made in the same target environment goes back to its
 * payer. What MoMo adds to the core's refund is which payment may be named: only a request to
 * pay (not a withdrawal, a transfer or another dialect's deposit) of the caller's environment.
 * The rest — only of a SUCCESSFUL one, never more than it collected, a reused reference is a
 * duplicate — is the core's {@link RefundingDeposit}.
 */
final class RefundingRequestToPay {

    /** What became of the refund. */
    sealed interface Result {
        /** The core decided: accepted, duplicate or rejected. */
        record Decided(InitiatingPayment.Result result) implements Result {
        }

        /** The reference to refund is no request to pay of this environment; nothing was written. */
        record NoSuchRequestToPay() implements Result {
        }
    }

    private final PaymentStore payments;
    private final RefundingDeposit refunding;

    RefundingRequestToPay(PaymentStore payments, RefundingDeposit refunding) {
        this.payments = payments;
        this.refunding = refunding;
    }

    /** @param correspondent the target environment's correspondent */
    Result refund(RefundingDeposit.Request r, String correspondent) {
        Optional<Payment> collected = payments.find(r.merchant().id(), MomoJson.DIALECT, PaymentKind.DEPOSIT,
                        r.depositId())
                .filter(d -> MomoJson.operation(d) == MomoOperation.REQUEST_TO_PAY)
                .filter(d -> d.correspondent().equals(correspondent));
        // A reused refund reference is the core's duplicate, even when its request to pay is gone from view.
        boolean known = payments.find(r.merchant().id(), MomoJson.DIALECT, PaymentKind.REFUND, r.refundId()).isPresent();
        if (collected.isEmpty() && !known) {
            return new Result.NoSuchRequestToPay();
        }
        return new Result.Decided(refunding.refund(r));
    }
}
