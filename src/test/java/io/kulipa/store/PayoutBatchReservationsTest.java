package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.Balance;
import io.kulipa.ledger.LedgerOp;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.payments.Accounting;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch of payouts from one wallet (issue 14): the batches queue on the wallet's row from its
 * lock to their commit, so a batch writes its payments, their history and their jobs first and
 * locks the wallet last. A batch with a payout the wallet cannot cover is written again the exact
 * way, and answers as it always did: the payouts before it reserved, that one failed with the
 * wallet's funds untouched, nothing written twice.
 */
class PayoutBatchReservationsTest {

    private static TestDeposits world;
    private static Jdbi jdbi;
    private static JdbiPaymentStore store;
    private static JdbiLedgerStore ledger;

    @BeforeAll
    static void start() {
        world = TestDeposits.open("payout-batches", "Payout batch merchant");
        jdbi = world.jdbi();
        store = world.store();
        ledger = new JdbiLedgerStore(jdbi);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    /** A merchant of its own, so that each test has a wallet of its own, funded with {@code balance} ZMW. */
    private static UUID fundedMerchant(String balance) {
        UUID merchant = new io.kulipa.payments.OnboardingMerchant(new JdbiMerchantStore(jdbi))
                .onboard("Payouts " + UUID.randomUUID(), java.util.Set.of(), java.util.Map.of(), null).merchant().id();
        jdbi.useTransaction(h -> new LedgerSql().applyAll(h, List.of(new LedgerSql.Entry(null,
                Accounting.opening(merchant, "ZMB", "ZMW", new BigDecimal(balance))))));
        return merchant;
    }

    private static Payment payout(UUID merchant, String clientRef, String amount) {
        Instant now = Instant.now();
        return new Payment(io.kulipa.payments.TimeOrderedIds.at(now), merchant, PaymentKind.PAYOUT, clientRef,
                "pawapay", PaymentState.ACCEPTED, new BigDecimal(amount), amount, "ZMW", "ZMB", "MTN_MOMO_ZMB",
                "260763456789", "2020-02-21T17:32:28Z", "Payout", null, List.of(), "fp-" + clientRef, null, null,
                null, null, null, null, null, now, now, null);
    }

    private static PaymentStore.NewPayment toWrite(Payment p) {
        return new PaymentStore.NewPayment(p, List.of(new NewJob(JobKind.SUBMIT, p.created(), null, true)),
                Accounting.reservation(p), FailureCode.BALANCE_INSUFFICIENT, null);
    }

    private static String wallet(UUID merchant) {
        return AccountRef.merchantWallet(merchant, "ZMB", "ZMW").code();
    }

    private static Balance balance(UUID merchant) {
        return ledger.balance(wallet(merchant)).orElseThrow();
    }

    private static List<String> jobs(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind || ' ' || state FROM outbox WHERE payment_id = :p ORDER BY id")
                .bind("p", paymentId).mapTo(String.class).list());
    }

    private static List<String> history(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(from_state, '-') || '>' || to_state || ' ' || event "
                        + "FROM payment_event WHERE payment_id = :p ORDER BY id")
                .bind("p", paymentId).mapTo(String.class).list());
    }

    @Test
    void aBatchOfPayoutsLocksItsWalletOnlyAfterWritingItsPaymentsHistoryAndJobs() throws Exception {
        UUID merchant = fundedMerchant("100.00");
        String prefix = UUID.randomUUID().toString();
        List<Payment> batch = List.of(payout(merchant, prefix + "-1", "10"), payout(merchant, prefix + "-2", "10.50"),
                payout(merchant, prefix + "-3", "0.01"));
        CompletableFuture<List<PaymentStore.Inserted>> written;
        try (Handle holder = jdbi.open()) {
            holder.begin();
            holder.createQuery("SELECT code FROM ledger_account WHERE code = :c FOR UPDATE")
                    .bind("c", wallet(merchant)).mapTo(String.class).one();
            written = CompletableFuture.supplyAsync(() -> store.insertAll(batch.stream()
                    .map(PayoutBatchReservationsTest::toWrite).toList()));
            // The batch's connection waits for the wallet's row ...
            int pid = await().atMost(Duration.ofSeconds(10)).until(() -> jdbi.withHandle(h -> h.createQuery("""
                    SELECT coalesce(max(pid), 0) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND query LIKE '%ledger_account%' AND pid <> pg_backend_pid()""")
                    .mapTo(Integer.class).one()), p -> p != 0);
            // ... having written its payments, their history and their jobs already.
            List<String> writtenTables = jdbi.withHandle(h -> h.createQuery("""
                    SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                    WHERE l.pid = :pid AND l.mode = 'RowExclusiveLock' AND l.granted
                      AND c.relname IN ('payment', 'payment_event', 'outbox') ORDER BY c.relname""")
                    .bind("pid", pid).mapTo(String.class).list());
            assertThat(writtenTables).containsExactly("outbox", "payment", "payment_event");
            assertThat(written).isNotDone();
            holder.rollback();
        }
        List<PaymentStore.Inserted> results = written.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(PaymentStore.Inserted.Created.class));
        for (Payment p : batch) {
            assertThat(store.get(p.id()).orElseThrow().state()).isEqualTo(PaymentState.ACCEPTED);
            assertThat(jobs(p.id())).containsExactly("SUBMIT PENDING");
        }
        assertThat(balance(merchant).debitsPending()).isEqualByComparingTo("20.51");
        assertThat(ledger.verify()).isEmpty();
    }

    @Test
    void aBatchWithAPayoutTheWalletCannotCoverIsWrittenOnceTheExactWay() {
        UUID merchant = fundedMerchant("25.00");
        String prefix = UUID.randomUUID().toString();
        // Decided in client id order: 10 and 10 fit, the third 10 does not, the last 5 does.
        Payment first = payout(merchant, prefix + "-1", "10");
        Payment second = payout(merchant, prefix + "-2", "10");
        Payment tooMuch = payout(merchant, prefix + "-3", "10");
        Payment last = payout(merchant, prefix + "-4", "5");
        List<PaymentStore.Inserted> results = store.insertAll(List.of(last, tooMuch, first, second).stream()
                .map(PayoutBatchReservationsTest::toWrite).toList());

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(PaymentStore.Inserted.Created.class));
        Payment refused = ((PaymentStore.Inserted.Created) results.get(1)).payment();
        assertThat(refused.state()).isEqualTo(PaymentState.FAILED);
        assertThat(refused.failureCode()).isEqualTo(FailureCode.BALANCE_INSUFFICIENT);
        assertThat(((PaymentStore.Inserted.Created) results.get(1)).leasedJobs()).extracting(j -> j.kind())
                .containsExactly(JobKind.WEBHOOK);
        for (Payment p : List.of(first, second, last)) {
            assertThat(store.get(p.id()).orElseThrow().state()).isEqualTo(PaymentState.ACCEPTED);
            assertThat(jobs(p.id())).containsExactly("SUBMIT PENDING");
            assertThat(history(p.id())).containsExactly("->ACCEPTED ACCEPTED");
        }
        assertThat(store.get(tooMuch.id()).orElseThrow().state()).isEqualTo(PaymentState.FAILED);
        assertThat(jobs(tooMuch.id())).containsExactly("WEBHOOK PENDING");
        assertThat(history(tooMuch.id())).containsExactly("->ACCEPTED ACCEPTED",
                "ACCEPTED>FAILED FUNDS_NOT_AVAILABLE");
        int rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE client_ref LIKE :p")
                .bind("p", prefix + "%").mapTo(Integer.class).one());
        assertThat(rows).isEqualTo(4);
        assertThat(balance(merchant).debitsPending()).isEqualByComparingTo("25.00");
        assertThat(ledger.verify()).isEmpty();
    }

    @Test
    void aRepeatedPayoutInALaterBatchReservesNothingMore() {
        UUID merchant = fundedMerchant("30.00");
        Payment once = payout(merchant, UUID.randomUUID().toString(), "12");
        store.insertAll(List.of(toWrite(once)));
        Payment again = new Payment(io.kulipa.payments.TimeOrderedIds.at(Instant.now()), merchant,
                PaymentKind.PAYOUT, once.clientRef(), "pawapay", PaymentState.ACCEPTED, new BigDecimal("12"), "12",
                "ZMW", "ZMB", "MTN_MOMO_ZMB", "260763456789", "2020-02-21T17:32:28Z", "Payout", null, List.of(),
                once.fingerprint(), null, null, null, null, null, null, null, once.created(), once.created(), null);
        Payment other = payout(merchant, UUID.randomUUID().toString(), "18");

        List<PaymentStore.Inserted> results = store.insertAll(List.of(toWrite(again), toWrite(other)));

        assertThat(results.get(0)).isInstanceOf(PaymentStore.Inserted.Duplicate.class);
        assertThat(results.get(1)).isInstanceOf(PaymentStore.Inserted.Created.class);
        assertThat(((PaymentStore.Inserted.Created) results.get(1)).payment().state()).isEqualTo(PaymentState.ACCEPTED);
        assertThat(balance(merchant).debitsPending()).as("12 once and 18: all of the wallet, no more")
                .isEqualByComparingTo("30.00");
        assertThat(ledger.verify()).isEmpty();
    }
}
