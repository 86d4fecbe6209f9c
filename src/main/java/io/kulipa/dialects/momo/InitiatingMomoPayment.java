package io.kulipa.dialects.momo;

import io.kulipa.dialects.momo.preapprovals.ApplyingPreApproval;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.PaymentRequest;

/**
 * A MoMo payment operation as a core payment. What MoMo adds is the pre-approval: a request to
 * pay from a payer who approved this merchant in advance goes through without a prompt. Every
 * other rule (idempotency, limits, the ledger) is the core's {@link InitiatingPayment}.
 */
final class InitiatingMomoPayment {

    private final InitiatingPayment initiating;
    private final ApplyingPreApproval preApprovals;

    InitiatingMomoPayment(InitiatingPayment initiating, ApplyingPreApproval preApprovals) {
        this.initiating = initiating;
        this.preApprovals = preApprovals;
    }

    InitiatingPayment.Result initiate(MomoOperation op, PaymentRequest request) {
        return initiating.initiate(op == MomoOperation.REQUEST_TO_PAY ? preApprovals.apply(request) : request);
    }
}
