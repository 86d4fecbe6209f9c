package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.ledger.AccountKind;
import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.Balance;
import io.kulipa.ledger.LedgerOp;
import io.kulipa.testing.TestDatabase;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch's ledger transfers are one INSERT from arrays (issue 14): each transfer is written once,
 * in the order given, one whose id or whose reservation's resolution is already there (written
 * before, or earlier in the same batch) moves nothing, and amounts are exact. Each account's
 * totals are booked from what was written, so {@link JdbiLedgerStore#verify()} and the totals
 * checked here tell whether each transfer's answer was right.
 */
class LedgerTransfersBatchTest {

    private static final String CUR = "ZMW";
    private static Database db;
    private static Jdbi jdbi;
    private static JdbiLedgerStore ledger;
    private static final LedgerSql ledgerSql = new LedgerSql();

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.open("ledger-batch");
        jdbi = db.jdbi();
        ledger = new JdbiLedgerStore(jdbi);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static AccountRef settlement() {
        return AccountRef.settlement("TEST_" + UUID.randomUUID().toString().substring(0, 8), CUR);
    }

    /** An account that must not be overdrawn and needs no merchant. */
    private static AccountRef voucher() {
        return new AccountRef("voucher:test:" + UUID.randomUUID(), AccountKind.VOUCHER, CUR, null, null);
    }

    private static void applyAll(LedgerOp... ops) {
        jdbi.useTransaction(h -> ledgerSql.applyAll(h, java.util.Arrays.stream(ops)
                .map(op -> new LedgerSql.Entry(null, op)).toList()));
    }

    private static LedgerOp.Post post(AccountRef debit, AccountRef credit, String amount) {
        return new LedgerOp.Post(UUID.randomUUID(), debit, credit, new BigDecimal(amount));
    }

    private static Balance balance(AccountRef a) {
        return ledger.balance(a.code()).orElseThrow();
    }

    private static List<Map<String, Object>> transfers(AccountRef touching) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, kind, amount, pending_id FROM ledger_transfer
                        WHERE debit_account = :c OR credit_account = :c ORDER BY created_at, id""")
                .bind("c", touching.code()).mapToMap().list());
    }

    private static int count(UUID transferId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM ledger_transfer WHERE id = :id")
                .bind("id", transferId).mapTo(Integer.class).one());
    }

    @Test
    void aBatchWritesEachTransferOnceWithExactAmounts() {
        AccountRef from = settlement();
        AccountRef to = settlement();
        LedgerOp.Post cent = post(from, to, "0.01");
        LedgerOp.Post big = post(from, to, "12345678901234.56");
        LedgerOp.Post fine = post(to, from, "0.0001");
        LedgerOp.Post third = post(from, to, "3.33");

        applyAll(cent, big, fine, third);

        for (LedgerOp.Post p : List.of(cent, big, fine, third)) {
            BigDecimal stored = jdbi.withHandle(h -> h.createQuery("SELECT amount FROM ledger_transfer WHERE id = :id")
                    .bind("id", p.transferId()).mapTo(BigDecimal.class).one());
            assertThat(stored).as("amount of %s", p.amount()).isEqualByComparingTo(p.amount());
        }
        assertThat(balance(from).debitsPosted()).isEqualByComparingTo("12345678901237.90");
        assertThat(balance(from).creditsPosted()).isEqualByComparingTo("0.0001");
        assertThat(balance(to).creditsPosted()).isEqualByComparingTo("12345678901237.90");
        assertThat(balance(to).debitsPosted()).isEqualByComparingTo("0.0001");
        assertThat(ledger.verify()).isEmpty();
    }

    @Test
    void aTransferWhoseIdExistsMovesNothingAndTheOthersOfItsBatchAreWritten() {
        AccountRef from = settlement();
        AccountRef to = settlement();
        LedgerOp.Post first = post(from, to, "10.00");
        applyAll(first);
        LedgerOp.Post again = new LedgerOp.Post(first.transferId(), from, to, new BigDecimal("99.00"));
        LedgerOp.Post before = post(from, to, "1.25");
        LedgerOp.Post after = post(from, to, "2.50");

        applyAll(before, again, after);

        assertThat(count(first.transferId())).isEqualTo(1);
        assertThat(count(before.transferId())).isEqualTo(1);
        assertThat(count(after.transferId())).isEqualTo(1);
        assertThat(balance(from).debitsPosted()).as("10.00 + 1.25 + 2.50, not the repeat's 99")
                .isEqualByComparingTo("13.75");
        assertThat(balance(to).creditsPosted()).isEqualByComparingTo("13.75");
        assertThat(ledger.verify()).isEmpty();
    }

    @Test
    void ofTwoTransfersWithTheSameIdInOneBatchTheFirstIsWritten() {
        AccountRef from = settlement();
        AccountRef to = settlement();
        UUID id = UUID.randomUUID();
        LedgerOp.Post one = new LedgerOp.Post(id, from, to, new BigDecimal("4.00"));
        LedgerOp.Post two = new LedgerOp.Post(id, from, to, new BigDecimal("7.00"));
        LedgerOp.Post other = post(from, to, "0.50");

        applyAll(one, two, other);

        assertThat(transfers(from)).extracting(r -> r.get("amount")).map(a -> (BigDecimal) a)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactlyInAnyOrder(new BigDecimal("4.00"), new BigDecimal("0.50"));
        assertThat(balance(from).debitsPosted()).isEqualByComparingTo("4.50");
        assertThat(balance(to).creditsPosted()).isEqualByComparingTo("4.50");
        assertThat(ledger.verify()).isEmpty();
    }

    @Test
    void ofTwoResolutionsOfOneReservationInOneBatchTheFirstIsWritten() {
        AccountRef from = settlement();
        AccountRef to = settlement();
        LedgerOp.Reserve r = new LedgerOp.Reserve(UUID.randomUUID(), from, to, new BigDecimal("20.00"));
        LedgerOp.Reserve kept = new LedgerOp.Reserve(UUID.randomUUID(), from, to, new BigDecimal("5.00"));
        applyAll(r, kept);
        assertThat(balance(from).debitsPending()).isEqualByComparingTo("25.00");

        LedgerOp.PostPending posted = new LedgerOp.PostPending(UUID.randomUUID(), r.transferId());
        LedgerOp.VoidPending voided = new LedgerOp.VoidPending(UUID.randomUUID(), r.transferId());
        LedgerOp.Post plain = post(from, to, "1.00");
        applyAll(posted, voided, plain);

        assertThat(count(posted.transferId())).isEqualTo(1);
        assertThat(count(voided.transferId())).as("the second resolution of the same reservation").isZero();
        assertThat(count(plain.transferId())).isEqualTo(1);
        Balance b = balance(from);
        assertThat(b.debitsPending()).as("the other reservation stays").isEqualByComparingTo("5.00");
        assertThat(b.debitsPosted()).as("the posted reservation and the plain transfer")
                .isEqualByComparingTo("21.00");
        assertThat(balance(to).creditsPosted()).isEqualByComparingTo("21.00");
        assertThat(ledger.verify()).isEmpty();

        // The other order in a later batch: the void of the second reservation first, then its post,
        // then a repeat of the first reservation's resolution: only the void is written.
        LedgerOp.VoidPending voidKept = new LedgerOp.VoidPending(UUID.randomUUID(), kept.transferId());
        LedgerOp.PostPending postKept = new LedgerOp.PostPending(UUID.randomUUID(), kept.transferId());
        LedgerOp.VoidPending late = new LedgerOp.VoidPending(UUID.randomUUID(), r.transferId());
        applyAll(voidKept, postKept, late);

        assertThat(count(voidKept.transferId())).isEqualTo(1);
        assertThat(count(postKept.transferId())).isZero();
        assertThat(count(late.transferId())).isZero();
        assertThat(balance(from).debitsPending()).isEqualByComparingTo("0");
        assertThat(balance(from).debitsPosted()).isEqualByComparingTo("21.00");
        assertThat(ledger.verify()).isEmpty();
    }

    @Test
    void theOneByOnePathAnswersEachTransferTheSame() {
        // A batch whose debits, counted without its credits, exceed what the account holds takes
        // the exact path: one transfer at a time.
        AccountRef equity = AccountRef.equity(CUR);
        AccountRef v = voucher();
        AccountRef out = settlement();
        applyAll(post(equity, v, "10.00"));
        LedgerOp.Reserve r = new LedgerOp.Reserve(UUID.randomUUID(), v, out, new BigDecimal("3.00"));
        applyAll(r);
        LedgerOp.VoidPending voided = new LedgerOp.VoidPending(UUID.randomUUID(), r.transferId());
        applyAll(voided);
        applyAll(post(v, out, "8.00"));

        LedgerOp.Post topUp = post(equity, v, "5.00");
        LedgerOp.Post spend = post(v, out, "4.00");
        applyAll(topUp, spend, voided, new LedgerOp.VoidPending(UUID.randomUUID(), r.transferId()));

        Balance b = balance(v);
        assertThat(b.creditsPosted()).isEqualByComparingTo("15.00");
        assertThat(b.debitsPosted()).isEqualByComparingTo("12.00");
        assertThat(b.debitsPending()).as("the reservation's void is not booked twice").isEqualByComparingTo("0");
        assertThat(count(spend.transferId())).isEqualTo(1);
        assertThat(ledger.verify()).isEmpty();
    }
}
