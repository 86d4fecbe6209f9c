package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentChange;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch's state changes are one statement per round (issue 14): each payment's changes apply in
 * the order given, a change from a state the table does not allow moves nothing, and every moved
 * payment gets its history row, exactly as one statement per change did. New payments of a batch
 * are one statement too: every column as given, and of two with one client id only the first.
 */
class BatchedStateChangesTest {

    private static TestDeposits deposits;
    private static Jdbi jdbi;
    private static JdbiPaymentStore store;

    @BeforeAll
    static void start() {
        deposits = TestDeposits.open("batched-changes", "Batch merchant");
        jdbi = deposits.jdbi();
        store = deposits.store();
    }

    @AfterAll
    static void stop() {
        deposits.close();
    }


    private static PaymentStore.StateChange change(Payment p, PaymentState to, PaymentChange c) {
        return new PaymentStore.StateChange(p.id(), to, c, List.of(), moved -> List.of(), null);
    }

    private static List<String> history(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(from_state, '-') || '>' || coalesce(to_state, '-')"
                        + " || ' ' || event FROM payment_event WHERE payment_id = :p ORDER BY id")
                .bind("p", id).mapTo(String.class).list());
    }

    private static Payment fresh(String clientRef, List<Payment.MetadataItem> metadata, String amount) {
        Instant created = Instant.parse("2026-12-03T09:00:00.654321Z");
        return new Payment(UUID.randomUUID(), deposits.merchant().id(), PaymentKind.DEPOSIT, clientRef, "pawapay",
                PaymentState.ACCEPTED, new BigDecimal(amount), amount, "ZMW", "ZMB", "MTN_MOMO_ZMB", "260763456789",
                "2020-02-21T17:32:28Z", "Note \"quoted\" \u00e9", null, metadata, "fp-" + clientRef, null, null, null,
                null, null, null, null, created, created, null);
    }

    @Test
    void newPaymentsOfABatchAreWrittenAsGivenAndAClientIdTwiceInItIsADuplicate() {
        String ref = UUID.randomUUID().toString();
        Payment first = fresh(ref, List.of(new Payment.MetadataItem("orderId", "ORD-1", false),
                new Payment.MetadataItem("phone", "0977", true)), "12345678901234.5678");
        Payment again = fresh(ref, List.of(), "1");
        Payment other = fresh(UUID.randomUUID().toString(), List.of(), "0.01");
        List<PaymentStore.Inserted> results = store.insertAll(List.of(PaymentStore.NewPayment.of(first, List.of()),
                PaymentStore.NewPayment.of(again, List.of()), PaymentStore.NewPayment.of(other, List.of())));

        assertThat(results.get(0)).isInstanceOf(PaymentStore.Inserted.Created.class);
        assertThat(results.get(1)).isInstanceOf(PaymentStore.Inserted.Duplicate.class);
        assertThat(((PaymentStore.Inserted.Duplicate) results.get(1)).original().id()).isEqualTo(first.id());
        assertThat(results.get(2)).isInstanceOf(PaymentStore.Inserted.Created.class);
        Payment stored = store.get(first.id()).orElseThrow();
        assertThat(stored).usingRecursiveComparison().ignoringFields("amount", "updated").isEqualTo(first);
        assertThat(stored.amount()).isEqualByComparingTo("12345678901234.5678");
        assertThat(stored.updated()).isEqualTo(first.created());
        assertThat(store.get(other.id()).orElseThrow().amount()).isEqualByComparingTo("0.01");
        assertThat(store.get(again.id())).isEmpty();
        assertThat(history(first.id())).containsExactly("->ACCEPTED ACCEPTED");
        assertThat(history(again.id())).isEmpty();

        // Read together, by id: the ones that exist, each whole.
        UUID missing = UUID.randomUUID();
        Map<UUID, Payment> read = store.getAll(List.of(first.id(), missing, other.id(), again.id()));
        assertThat(read).containsOnlyKeys(first.id(), other.id());
        assertThat(read.get(first.id())).isEqualTo(stored);
        try (io.kulipa.payments.GroupCommittingStore together = new io.kulipa.payments.GroupCommittingStore(store, 2)) {
            assertThat(together.get(first.id())).contains(stored);
            assertThat(together.get(missing)).isEmpty();
        }
    }

    @Test
    void eachPaymentsChangesApplyInOrderAndRefusedOnesMoveNothing() {
        Payment twice = deposits.accepted("Batch test");
        Payment refused = deposits.accepted("Batch test");
        assertThat(store.transitionAll(List.of(change(refused, PaymentState.COMPLETED,
                PaymentChange.event("OPERATOR_COMPLETED"))))).allMatch(Optional::isPresent);
        Payment failed = deposits.accepted("Batch test");
        List<Payment> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(deposits.accepted("Batch test"));
        }
        Instant responded = Instant.parse("2026-12-03T10:15:30.123456Z");
        List<PaymentStore.StateChange> changes = new ArrayList<>();
        changes.add(change(twice, PaymentState.SUBMITTED, new PaymentChange("SUBMITTED", "OP-1", null, null, null,
                null, Map.of("MTN", "X-1"))));
        changes.add(change(refused, PaymentState.FAILED, PaymentChange.event("OPERATOR_FAILED")));
        many.forEach(p -> changes.add(change(p, PaymentState.SUBMITTED, PaymentChange.event("SUBMITTED"))));
        changes.add(change(twice, PaymentState.COMPLETED, new PaymentChange("OPERATOR_COMPLETED", null,
                new BigDecimal("15.50"), null, null, responded, null)));
        changes.add(change(failed, PaymentState.FAILED, new PaymentChange("OPERATOR_FAILED", null, null,
                FailureCode.PAYER_NOT_FOUND, "no such wallet", responded, null)));
        // The same change again within the batch: the payment is COMPLETED by then, so it moves nothing.
        changes.add(change(twice, PaymentState.COMPLETED, PaymentChange.event("OPERATOR_COMPLETED")));

        List<Optional<PaymentStore.Transitioned>> results = store.transitionAll(changes);

        assertThat(results).hasSize(changes.size());
        assertThat(results.get(0)).get().extracting(t -> t.payment().state()).isEqualTo(PaymentState.SUBMITTED);
        assertThat(results.get(1)).as("a COMPLETED payment cannot fail").isEmpty();
        for (int i = 0; i < many.size(); i++) {
            assertThat(results.get(2 + i)).get().extracting(t -> t.payment().id(), t -> t.payment().state())
                    .containsExactly(many.get(i).id(), PaymentState.SUBMITTED);
        }
        Payment completed = results.get(2 + many.size()).orElseThrow().payment();
        assertThat(completed.state()).isEqualTo(PaymentState.COMPLETED);
        assertThat(completed.providerRef()).as("kept from the first change").isEqualTo("OP-1");
        assertThat(completed.processedAmount()).isEqualByComparingTo("15.50");
        assertThat(completed.respondedAt()).isEqualTo(responded);
        Payment failedNow = results.get(3 + many.size()).orElseThrow().payment();
        assertThat(failedNow.state()).isEqualTo(PaymentState.FAILED);
        assertThat(failedNow.failureCode()).isEqualTo(FailureCode.PAYER_NOT_FOUND);
        assertThat(failedNow.failureMessage()).isEqualTo("no such wallet");
        assertThat(results.getLast()).as("already COMPLETED").isEmpty();

        assertThat(history(twice.id())).containsExactly("->ACCEPTED ACCEPTED", "ACCEPTED>SUBMITTED SUBMITTED",
                "SUBMITTED>COMPLETED OPERATOR_COMPLETED");
        assertThat(history(refused.id())).containsExactly("->ACCEPTED ACCEPTED", "ACCEPTED>COMPLETED OPERATOR_COMPLETED");
        assertThat(history(failed.id())).containsExactly("->ACCEPTED ACCEPTED", "ACCEPTED>FAILED OPERATOR_FAILED");
        assertThat(store.get(refused.id()).orElseThrow().state()).isEqualTo(PaymentState.COMPLETED);
        String ids = jdbi.withHandle(h -> h.createQuery("SELECT correspondent_ids->>'MTN' FROM payment WHERE id = :p")
                .bind("p", twice.id()).mapTo(String.class).one());
        assertThat(ids).isEqualTo("X-1");
        String detail = jdbi.withHandle(h -> h.createQuery("SELECT detail FROM payment_event WHERE payment_id = :p "
                + "AND to_state = 'FAILED'").bind("p", failed.id()).mapTo(String.class).one());
        assertThat(detail).isEqualTo("PAYER_NOT_FOUND");
    }
}
