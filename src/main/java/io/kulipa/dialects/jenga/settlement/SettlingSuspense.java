package io.kulipa.dialects.jenga.settlement;

import io.kulipa.dialects.jenga.JengaJson;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The ops action on a push held in settlement suspense (callback code 2 or 4): settle it (the
 * merchant's wallet is credited net of the charge) or return it (the customer gets the money
 * back), once; then the push's final callback goes out again with the new outcome.
 */
public final class SettlingSuspense {

    /** What became of the action. */
    public enum Result { DONE, NOT_FOUND, NOT_IN_SUSPENSE, ALREADY_DECIDED }

    private final PaymentStore payments;
    private final SettlementStore store;
    private final JengaPostings postings;
    private final Consumer<Payment> refundCustomer;
    private final Clock clock;

    /** @param refundCustomer gives a returned push's money back to the customer at the operator */
    public SettlingSuspense(PaymentStore payments, SettlementStore store, JengaPostings postings,
                            Consumer<Payment> refundCustomer, Clock clock) {
        this.payments = payments;
        this.store = store;
        this.postings = postings;
        this.refundCustomer = refundCustomer;
        this.clock = clock;
    }

    public Result decide(UUID merchantId, String ref, SettlementDecision decision) {
        Optional<Payment> found = payments.find(merchantId, JengaJson.DIALECT, PaymentKind.DEPOSIT, ref)
                .filter(p -> "jenga".equals(p.dialect()));
        if (found.isEmpty()) {
            return Result.NOT_FOUND;
        }
        Payment p = found.get();
        if (p.state() != PaymentState.COMPLETED || !postings.awaitsSettlement(p)) {
            return Result.NOT_IN_SUSPENSE;
        }
        var ops = decision == SettlementDecision.SETTLED ? postings.settled(p) : postings.returned(p);
        if (!store.decide(p, decision, postings.charge(p), ops, clock.instant())) {
            return Result.ALREADY_DECIDED;
        }
        if (decision == SettlementDecision.RETURNED) {
            refundCustomer.accept(p);
        }
        // The decision and the callback that tells the merchant were committed together.
        payments.note(p.id(), "JENGA_SUSPENSE_" + decision.name(), null);
        return Result.DONE;
    }

    public Optional<SettlementDecision> decision(UUID paymentId) {
        return store.decision(paymentId);
    }
}
