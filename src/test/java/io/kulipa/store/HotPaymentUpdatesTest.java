package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentChange;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A payment's state changes are HOT updates (V43, ADR 25): no index of the payment table covers a
 * column a state change writes, so PostgreSQL changes the row on its page without an entry in
 * every index. The queue of enqueued payouts, which used to be read through an index on state,
 * is a table the triggers keep.
 */
class HotPaymentUpdatesTest {

    /** The columns {@code JdbiPaymentStore.CHANGE_STATES} writes. */
    private static final List<String> CHANGED_BY_A_STATE_CHANGE = List.of("state", "provider_ref", "processed_amount",
            "failure_code", "failure_message", "responded_at", "correspondent_ids", "updated_at");

    private static TestDeposits deposits;
    private static Jdbi jdbi;
    private static JdbiPaymentStore store;

    @BeforeAll
    static void start() {
        deposits = TestDeposits.open("hot-updates", "HOT merchant");
        jdbi = deposits.jdbi();
        store = deposits.store();
    }

    @AfterAll
    static void stop() {
        deposits.close();
    }

    @Test
    void noIndexOfThePaymentTableCoversAColumnAStateChangeWrites() {
        List<String> definitions = jdbi.withHandle(h -> h.createQuery(
                        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'payment'::regclass")
                .mapTo(String.class).list());
        assertThat(definitions).hasSizeGreaterThanOrEqualTo(4);
        for (String definition : definitions) {
            String covered = definition.substring(definition.indexOf(" USING "));
            for (String column : CHANGED_BY_A_STATE_CHANGE) {
                assertThat(Pattern.compile("\\b" + column + "\\b").matcher(covered).find())
                        .as("%s covers %s", definition, column).isFalse();
            }
        }
    }

    @Test
    void aDepositsStateChangesThroughTheStoreAreHotUpdates() throws Exception {
        long[] before = updates();
        int deposits_ = 40;
        List<Payment> accepted = new ArrayList<>();
        for (int i = 0; i < deposits_; i++) {
            accepted.add(deposits.accepted("hot " + i));
        }
        List<PaymentStore.StateChange> submitted = new ArrayList<>();
        List<PaymentStore.StateChange> completed = new ArrayList<>();
        for (Payment p : accepted) {
            submitted.add(new PaymentStore.StateChange(p.id(), PaymentState.SUBMITTED,
                    new PaymentChange("SUBMITTED", "op-" + p.id(), null, null, null, null, null), List.of(),
                    moved -> List.of(), null));
            completed.add(new PaymentStore.StateChange(p.id(), PaymentState.COMPLETED,
                    new PaymentChange("OPERATOR_COMPLETED", null, new BigDecimal("15.50"), null, null,
                            java.time.Instant.now(), java.util.Map.of("MTN", "x")), List.of(), moved -> List.of(), null));
        }
        assertThat(store.transitionAll(submitted)).allMatch(java.util.Optional::isPresent);
        assertThat(store.transitionAll(completed)).allMatch(java.util.Optional::isPresent);

        // Other sessions' table statistics reach the shared counters within about a second of going idle.
        long[] after = updates();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (after[0] - before[0] < 2L * deposits_ && System.nanoTime() < deadline) {
            Thread.sleep(200);
            after = updates();
        }
        long updated = after[0] - before[0];
        long hot = after[1] - before[1];
        assertThat(updated).isGreaterThanOrEqualTo(2L * deposits_);
        assertThat(hot).as("HOT updates of %s", updated).isGreaterThanOrEqualTo(updated * 9 / 10);
    }

    @Test
    void theQueueOfEnqueuedPayoutsFollowsTheirState() {
        Payment released = deposits.accepted("to be enqueued");
        Payment failed = deposits.accepted("to be enqueued and failed");
        Payment other = deposits.accepted("never enqueued");
        for (Payment p : List.of(released, failed)) {
            assertThat(store.transition(p.id(), PaymentState.ENQUEUED, PaymentChange.event("ENQUEUED"), List.of()))
                    .isPresent();
        }
        assertThat(queued()).containsExactlyInAnyOrder(released.id(), failed.id());
        assertThat(store.enqueuedCorrespondents()).containsExactly("MTN_MOMO_ZMB");
        assertThat(store.enqueued(List.of("MTN_MOMO_ZMB"), 10)).extracting(Payment::id)
                .containsExactly(released.id(), failed.id());
        assertThat(store.enqueued(List.of("AIRTEL_OAPI_ZMB"), 10)).isEmpty();

        store.transition(released.id(), PaymentState.ACCEPTED, PaymentChange.event("RELEASED_FROM_QUEUE"), List.of());
        store.transition(failed.id(), PaymentState.FAILED, PaymentChange.event("CANCELLED"), List.of());
        store.transition(other.id(), PaymentState.SUBMITTED, PaymentChange.event("SUBMITTED"), List.of());
        assertThat(queued()).isEmpty();
        assertThat(store.enqueuedCorrespondents()).isEmpty();
        assertThat(store.enqueued(List.of("MTN_MOMO_ZMB"), 10)).isEmpty();
    }

    @Test
    void aPaymentWrittenAsEnqueuedIsQueuedAtOnce() {
        Payment p = deposits.accepted("written enqueued");
        UUID copy = writtenEnqueued(p, "");
        assertThat(queued()).contains(copy);
        jdbi.useHandle(h -> h.execute("DELETE FROM payment WHERE id = ?", copy));
        assertThat(queued()).doesNotContain(copy);
    }

    @Test
    void aLongQueueOfACorrespondentStillDownDoesNotHoldBackTheOneThatCameBack() {
        // More payouts queued for a correspondent still down than a release reads at once...
        List<PaymentStore.StateChange> enqueue = new ArrayList<>();
        for (int i = 0; i < 510; i++) {
            enqueue.add(new PaymentStore.StateChange(deposits.accepted("queued " + i).id(), PaymentState.ENQUEUED,
                    PaymentChange.event("ENQUEUED"), List.of(), moved -> List.of(), null));
        }
        assertThat(store.transitionAll(enqueue)).allMatch(java.util.Optional::isPresent);
        // ...and, queued after them, one of a correspondent that takes payouts again.
        Payment later = deposits.accepted("queued last, elsewhere");
        UUID back = writtenEnqueued(later, ", correspondent = 'AIRTEL_OAPI_ZMB', created_at = now() + interval '1 second'");
        io.kulipa.payments.ReleasingEnqueuedPayouts releasing = new io.kulipa.payments.ReleasingEnqueuedPayouts(store,
                (correspondent, operation) -> correspondent.equals("AIRTEL_OAPI_ZMB")
                        ? io.kulipa.providers.Availability.Status.OPERATIONAL
                        : io.kulipa.providers.Availability.Status.DELAYED,
                io.kulipa.outbox.WorkHandOff.NONE, java.time.Clock.systemUTC());

        assertThat(releasing.releaseNow()).isEqualTo(1);
        assertThat(store.get(back).orElseThrow().state()).isEqualTo(PaymentState.ACCEPTED);
        assertThat(queued()).hasSize(510).doesNotContain(back);
        jdbi.useHandle(h -> h.execute("UPDATE payment SET state = 'FAILED' WHERE state = 'ENQUEUED'"));
        assertThat(queued()).isEmpty();
    }

    /** A copy of {@code p} inserted straight into ENQUEUED, with {@code alsoSet} (SQL assignments) applied; its id. */
    private static UUID writtenEnqueued(Payment p, String alsoSet) {
        UUID copy = UUID.randomUUID();
        jdbi.useTransaction(h -> {
            h.execute("CREATE TEMP TABLE copied ON COMMIT DROP AS SELECT * FROM payment WHERE id = ?", p.id());
            h.execute("UPDATE copied SET id = ?, client_ref = client_ref || '-copy', state = 'ENQUEUED'" + alsoSet, copy);
            h.execute("INSERT INTO payment SELECT * FROM copied");
        });
        return copy;
    }

    private static List<UUID> queued() {
        return jdbi.withHandle(h -> h.createQuery("SELECT payment_id FROM payment_enqueued").mapTo(UUID.class).list());
    }

    /** The payment table's updates and HOT updates so far. */
    private static long[] updates() {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relid = 'payment'::regclass")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
    }
}
