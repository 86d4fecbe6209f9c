package io.kulipa.dialects.momo.preapprovals;

import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Lets a deposit ride on a pre-approval: when the payer approved this merchant's payments in
 * this currency in advance, and it has not expired, the deposit carries the pre-approval's id as
 * its pre-authorisation code, and the operator takes the money without a prompt.
 */
public final class ApplyingPreApproval {

    private final PreApprovalStore store;
    private final Clock clock;

    public ApplyingPreApproval(PreApprovalStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public PaymentRequest apply(PaymentRequest r) {
        if (r.kind() != PaymentKind.DEPOSIT || r.preAuthorisationCode() != null) {
            return r;
        }
        Optional<UUID> covering = store.covering(r.merchant().id(), r.correspondent(), r.msisdn(), r.currency(),
                clock.instant());
        return covering.map(id -> new PaymentRequest(r.merchant(), r.kind(), r.clientRef(), r.dialect(), r.amount(),
                r.currency(), r.country(), r.correspondent(), r.msisdn(), r.customerTimestamp(),
                r.statementDescription(), id.toString(), r.metadata(), r.fingerprint(), r.callbackUrl(),
                r.refundOf())).orElse(r);
    }
}
