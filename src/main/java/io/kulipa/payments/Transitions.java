package io.kulipa.payments;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The payment state machine as a table. Every state change in the store is checked against
 * it, tests walk it, and {@code docs/payment-states.md} is rendered from it.
 */
public final class Transitions {

    private static final Map<PaymentState, Set<PaymentState>> ALLOWED = new EnumMap<>(PaymentState.class);

    static {
        allow(PaymentState.ACCEPTED, PaymentState.SUBMITTED, PaymentState.IN_DOUBT, PaymentState.ENQUEUED,
                // An operator can answer before the submit is recorded, and a synchronous
                // refusal fails the payment straight away.
                PaymentState.COMPLETED, PaymentState.FAILED);
        allow(PaymentState.ENQUEUED, PaymentState.ACCEPTED, PaymentState.FAILED);
        allow(PaymentState.IN_DOUBT, PaymentState.SUBMITTED, PaymentState.ACCEPTED,
                PaymentState.COMPLETED, PaymentState.FAILED);
        allow(PaymentState.SUBMITTED, PaymentState.COMPLETED, PaymentState.FAILED);
        allow(PaymentState.COMPLETED);
        allow(PaymentState.FAILED);
    }

    private Transitions() {
    }

    private static void allow(PaymentState from, PaymentState... to) {
        Set<PaymentState> targets = EnumSet.noneOf(PaymentState.class);
        Collections.addAll(targets, to);
        ALLOWED.put(from, Collections.unmodifiableSet(targets));
    }

    public static boolean allowed(PaymentState from, PaymentState to) {
        return ALLOWED.get(from).contains(to);
    }

    public static Set<PaymentState> from(PaymentState state) {
        return ALLOWED.get(state);
    }

    /** The states a payment may be in when it moves to {@code to}. */
    public static Set<PaymentState> sourcesOf(PaymentState to) {
        Set<PaymentState> sources = EnumSet.noneOf(PaymentState.class);
        ALLOWED.forEach((from, targets) -> {
            if (targets.contains(to)) {
                sources.add(from);
            }
        });
        return sources;
    }

    /** A Mermaid state diagram of the table, for the docs. */
    public static String mermaid() {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n    [*] --> ACCEPTED\n");
        ALLOWED.forEach((from, targets) -> targets.forEach(to ->
                out.append("    ").append(from).append(" --> ").append(to).append('\n')));
        out.append("    COMPLETED --> [*]\n    FAILED --> [*]\n");
        return out.toString();
    }
}
