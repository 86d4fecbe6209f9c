package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.payments.GroupCommittingStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentChange;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A payment made final through the group-committing store is read from memory afterwards (its
 * row never changes again), so its webhook's read costs no round trip; a payment not final is
 * read from the database each time, except that a payment accepted through the store is given
 * once, from memory, to its SUBMIT job's first read, unless a change through the store moved it.
 */
class RecentFinalPaymentsTest {

    private static TestDeposits deposits;
    private static JdbiPaymentStore jdbc;

    @BeforeAll
    static void start() {
        deposits = TestDeposits.open("recent-finals", "Recent finals merchant");
        jdbc = deposits.store();
    }

    @AfterAll
    static void stop() {
        deposits.close();
    }

    private static PaymentStore counting(AtomicInteger reads) {
        return CountedCalls.of(PaymentStore.class, jdbc, java.util.Set.of("get", "getAll"), reads);
    }

    @Test
    void aPaymentMadeFinalHereIsReadFromMemoryAndOneNotFinalFromTheDatabase() {
        AtomicInteger reads = new AtomicInteger();
        PaymentStore counted = counting(reads);
        Payment completed = deposits.accepted("made final here");
        Payment submitted = deposits.accepted("still under way");
        try (GroupCommittingStore store = new GroupCommittingStore(counted, 2)) {
            store.transition(completed.id(), PaymentState.COMPLETED, PaymentChange.event("OPERATOR_COMPLETED"), List.of());
            store.transition(submitted.id(), PaymentState.SUBMITTED, PaymentChange.event("SUBMITTED"), List.of());
            reads.set(0);

            Payment fromMemory = store.get(completed.id()).orElseThrow();
            assertThat(reads).hasValue(0);
            assertThat(fromMemory).isEqualTo(jdbc.get(completed.id()).orElseThrow());
            assertThat(fromMemory.state()).isEqualTo(PaymentState.COMPLETED);

            assertThat(store.get(submitted.id()).orElseThrow().state()).isEqualTo(PaymentState.SUBMITTED);
            assertThat(store.get(submitted.id())).isPresent();
            assertThat(reads).hasValue(2);
        }
    }

    @Test
    void aPaymentAcceptedHereIsGivenToItsSubmitOnceFromMemoryUnlessAChangeMovedIt() {
        AtomicInteger reads = new AtomicInteger();
        try (GroupCommittingStore store = new GroupCommittingStore(counting(reads), 2)) {
            Payment accepted = deposits.accepted("accepted here", store);
            Payment moved = deposits.accepted("moved before its submit", store);
            Payment elsewhere = deposits.accepted("accepted by another node");
            store.transition(moved.id(), PaymentState.FAILED, PaymentChange.event("CANCELLED"), List.of());
            reads.set(0);

            Payment taken = store.takeAcceptedHere(accepted.id()).orElseThrow();
            assertThat(taken).isEqualTo(accepted);
            assertThat(taken.state()).isEqualTo(PaymentState.ACCEPTED);
            assertThat(reads).hasValue(0);
            // Once only, and never for a payment changed since or accepted elsewhere: those are read.
            assertThat(store.takeAcceptedHere(accepted.id())).isEmpty();
            assertThat(store.takeAcceptedHere(moved.id())).isEmpty();
            assertThat(store.takeAcceptedHere(elsewhere.id())).isEmpty();
            assertThat(store.get(moved.id()).orElseThrow().state()).isEqualTo(PaymentState.FAILED);
        }
    }
}
