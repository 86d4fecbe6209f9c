package io.kulipa.payments;

import io.kulipa.states.TransitionTable;
import java.util.Set;

/**
 * The payment state machine as a table. Every state change in the store is checked against
 * it, tests walk it, and {@code docs/payment-states.md} is rendered from it. The table has the
 * same shape as every other state machine of Kulipa ({@link TransitionTable}).
 */
public final class Transitions {

    public static final TransitionTable<PaymentState> TABLE = TransitionTable.of("payment", PaymentState.ACCEPTED)
            .allow(PaymentState.ACCEPTED, PaymentState.SUBMITTED, PaymentState.IN_DOUBT, PaymentState.ENQUEUED,
                    // An operator can answer before the submit is recorded, and a synchronous
                    // refusal fails the payment straight away.
                    PaymentState.COMPLETED, PaymentState.FAILED)
            .allow(PaymentState.ENQUEUED, PaymentState.ACCEPTED, PaymentState.FAILED)
            .allow(PaymentState.IN_DOUBT, PaymentState.SUBMITTED, PaymentState.ACCEPTED,
                    PaymentState.COMPLETED, PaymentState.FAILED)
            .allow(PaymentState.SUBMITTED, PaymentState.COMPLETED, PaymentState.FAILED)
            .allow(PaymentState.COMPLETED)
            .allow(PaymentState.FAILED)
            .build();

    private Transitions() {
    }

    public static boolean allowed(PaymentState from, PaymentState to) {
        return TABLE.allowed(from, to);
    }

    public static Set<PaymentState> from(PaymentState state) {
        return TABLE.from(state);
    }

    /** The states a payment may be in when it moves to {@code to}. */
    public static Set<PaymentState> sourcesOf(PaymentState to) {
        return TABLE.sourcesOf(to);
    }

    /** A Mermaid state diagram of the table, for the docs. */
    public static String mermaid() {
        return TABLE.mermaid();
    }
}
