package io.kulipa.payments;

import static io.kulipa.payments.PaymentState.ACCEPTED;
import static io.kulipa.payments.PaymentState.COMPLETED;
import static io.kulipa.payments.PaymentState.ENQUEUED;
import static io.kulipa.payments.PaymentState.FAILED;
import static io.kulipa.payments.PaymentState.IN_DOUBT;
import static io.kulipa.payments.PaymentState.SUBMITTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransitionsTest {

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @CsvSource({
            "ACCEPTED, SUBMITTED, true", "ACCEPTED, IN_DOUBT, true", "ACCEPTED, COMPLETED, true",
            "ACCEPTED, FAILED, true", "ACCEPTED, ENQUEUED, true",
            "ENQUEUED, ACCEPTED, true", "ENQUEUED, FAILED, true", "ENQUEUED, COMPLETED, false",
            "IN_DOUBT, SUBMITTED, true", "IN_DOUBT, ACCEPTED, true", "IN_DOUBT, COMPLETED, true",
            "IN_DOUBT, FAILED, true",
            "SUBMITTED, COMPLETED, true", "SUBMITTED, FAILED, true", "SUBMITTED, ACCEPTED, false",
            "SUBMITTED, IN_DOUBT, false",
            "COMPLETED, FAILED, false", "COMPLETED, SUBMITTED, false", "COMPLETED, COMPLETED, false",
            "FAILED, COMPLETED, false", "FAILED, ACCEPTED, false", "FAILED, FAILED, false"})
    void theTableAllowsExactlyTheseMoves(PaymentState from, PaymentState to, boolean allowed) {
        assertThat(Transitions.allowed(from, to)).isEqualTo(allowed);
    }

    @Test
    void finalStatesAreFinalAndEveryOtherStateCanReachOne() {
        assertThat(Transitions.from(COMPLETED)).isEmpty();
        assertThat(Transitions.from(FAILED)).isEmpty();
        for (PaymentState start : PaymentState.values()) {
            Set<PaymentState> reached = EnumSet.noneOf(PaymentState.class);
            Deque<PaymentState> todo = new ArrayDeque<>(Set.of(start));
            while (!todo.isEmpty()) {
                for (PaymentState next : Transitions.from(todo.pop())) {
                    if (reached.add(next)) {
                        todo.push(next);
                    }
                }
            }
            if (!start.isFinal()) {
                assertThat(reached).as("from %s", start).contains(COMPLETED, FAILED);
            }
        }
    }

    @Test
    void sourcesAreTheInverseOfTheTable() {
        assertThat(Transitions.sourcesOf(COMPLETED)).containsExactlyInAnyOrder(ACCEPTED, IN_DOUBT, SUBMITTED);
        assertThat(Transitions.sourcesOf(SUBMITTED)).containsExactlyInAnyOrder(ACCEPTED, IN_DOUBT);
        assertThat(Transitions.sourcesOf(ENQUEUED)).containsExactly(ACCEPTED);
    }

    @Test
    void theDiagramInTheDocsIsRenderedFromTheTable() throws Exception {
        String doc = Files.readString(Path.of("docs/payment-states.md"));
        assertThat(doc).contains(Transitions.mermaid());
    }
}
