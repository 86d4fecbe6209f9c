package io.kulipa.dialects.momo.vouchers;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.dialects.momo.MomoUseCaseDb;
import io.kulipa.testing.MutableClock;
import io.kulipa.dialects.momo.MomoUseCaseDb.Row;
import io.kulipa.dialects.momo.store.JdbiVoucherStore;
import io.kulipa.ledger.AccountRef;
import io.kulipa.payments.Accounting;
import io.kulipa.store.JdbiLedgerStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The voucher use cases on a real PostgreSQL: creating (money to the voucher account), redeeming
 * exactly once (also when redeems race), cancelling, sending OTPs and locking after wrong
 * attempts. Each asserts the voucher's state, its history in momo_voucher_event (which follows
 * the table) and the ledger's balances, which must stay sound.
 */
class VoucherUseCasesTest {

    static final String COUNTRY = "ZMB";
    static final String CURRENCY = "ZMW";
    static final String CORRESPONDENT = "MTN_MOMO_ZMB";
    static final String SECRET = "24681357";
    static final int CONCURRENT_REDEEMS = 8;
    static final Pattern OTP = Pattern.compile("voucher \\d+ is (\\d+)\\.");
    static final Pattern CHOSEN_SECRET = Pattern.compile("secret: (\\d+)");
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    static MomoUseCaseDb db;
    static JdbiVoucherStore store;
    static JdbiLedgerStore ledger;
    static CreatingVoucher creating;
    static RedeemingVoucher redeeming;
    static CancellingVoucher cancelling;
    static SendingVoucherOtp sendingOtp;

    @BeforeAll
    static void open() {
        db = new MomoUseCaseDb("vouchers");
        store = new JdbiVoucherStore(db.jdbi(), db.callbackOutbox());
        ledger = new JdbiLedgerStore(db.jdbi());
        creating = new CreatingVoucher(store, CLOCK);
        redeeming = new RedeemingVoucher(store, CLOCK);
        cancelling = new CancellingVoucher(store, CLOCK);
        sendingOtp = new SendingVoucherOtp(store, CLOCK);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static UUID agent(String funds) {
        UUID id = db.merchant(CLOCK).id();
        if (new BigDecimal(funds).signum() > 0) {
            ledger.apply(null, List.of(Accounting.opening(id, COUNTRY, CURRENCY, new BigDecimal(funds))));
        }
        return id;
    }

    static BigDecimal wallet(UUID merchant) {
        return ledger.balance(AccountRef.merchantWallet(merchant, COUNTRY, CURRENCY).code())
                .map(b -> b.available()).orElse(BigDecimal.ZERO);
    }

    static BigDecimal holding() {
        return ledger.balance(VoucherAccounting.holding(COUNTRY, CURRENCY).code()).map(b -> b.posted())
                .orElse(BigDecimal.ZERO);
    }

    static String msisdn() {
        return "26097" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }

    /** Callbacks are only committed to the outbox here; no worker sends them. */
    static final String CALLBACK_URL = "http://merchant.example/voucher-callbacks";

    static Party party(String msisdn) {
        return new Party(msisdn, "Ama", "Mensah", null, null);
    }

    static CreatingVoucher.Request request(UUID creator, String amount, String sender, String secret) {
        return new CreatingVoucher.Request(creator, UUID.randomUUID().toString(), new BigDecimal(amount), CURRENCY,
                COUNTRY, CORRESPONDENT, "ext-1", "school fees", party(msisdn()), sender == null ? null : party(sender),
                CALLBACK_URL, secret);
    }

    static Voucher create(UUID creator, String amount, String sender) {
        return ((VoucherOutcome.Done) creating.create(request(creator, amount, sender, SECRET))).voucher();
    }

    static VoucherOutcome redeem(UUID redeemer, Voucher v, String secret, String otp) {
        return redeeming.redeem(new RedeemingVoucher.Request(redeemer, v.token(), CORRESPONDENT, secret, otp));
    }

    static VoucherOutcome.Why why(VoucherOutcome o) {
        return ((VoucherOutcome.Refused) o).why();
    }

    static Voucher stored(Voucher v) {
        return store.byToken(v.token()).orElseThrow();
    }

    static List<Row> history(Voucher v) {
        List<Row> rows = db.history("momo_voucher_event", "voucher_id", v.id());
        MomoUseCaseDb.assertFollows(rows, VoucherStatus.TABLE);
        return rows;
    }

    /** The newest SMS to a number that matches, its first group. */
    static String fromSms(String msisdn, Pattern pattern) {
        List<String> texts = db.jdbi().withHandle(h -> h.createQuery("SELECT text FROM sim_sms WHERE msisdn = :m "
                + "ORDER BY id DESC").bind("m", msisdn).mapTo(String.class).list());
        for (String text : texts) {
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no SMS matching " + pattern + " to " + msisdn + ": " + texts);
    }

    static void assertLedgerSound() {
        assertThat(ledger.verify()).isEmpty();
    }

    @Test
    void creatingMovesTheAmountToTheVoucherAccountAndTellsTheReceiverInOneCommit() {
        UUID creator = agent("300");
        BigDecimal held = holding();
        CreatingVoucher.Request r = request(creator, "120.50", null, null);

        Voucher v = ((VoucherOutcome.Done) creating.create(r)).voucher();

        assertThat(v.status()).isEqualTo(VoucherStatus.SUCCESSFUL);
        assertThat(wallet(creator)).isEqualByComparingTo("179.50");
        assertThat(holding().subtract(held)).isEqualByComparingTo("120.50");
        String secret = fromSms(r.receiver().msisdn(), CHOSEN_SECRET);
        assertThat(stored(v).secretHash()).doesNotContain(secret).startsWith("pbkdf2$");
        assertThat(history(v)).extracting(Row::event).containsExactly("CREATED");
        assertThat(why(creating.create(r))).isEqualTo(VoucherOutcome.Why.ALREADY_EXISTS);
        assertThat(wallet(creator)).isEqualByComparingTo("179.50");
        assertLedgerSound();
    }

    @Test
    void aWalletThatCannotCoverTheAmountIsRefusedAndNothingIsWritten() {
        UUID creator = agent("50");
        CreatingVoucher.Request r = request(creator, "50.01", null, SECRET);

        assertThat(why(creating.create(r))).isEqualTo(VoucherOutcome.Why.NOT_ENOUGH_FUNDS);

        assertThat(store.byReference(creator, r.referenceId())).isEmpty();
        assertThat(wallet(creator)).isEqualByComparingTo("50");
        assertThat(db.count("SELECT count(*) FROM sim_sms WHERE msisdn = :m", Map.of("m", r.receiver().msisdn())))
                .isZero();
        assertLedgerSound();
    }

    @Test
    void aVoucherIsRedeemedOnceWithItsSecretAndTheMoneyReachesTheRedeemer() {
        UUID creator = agent("100");
        UUID redeemer = agent("0");
        Voucher v = create(creator, "40", null);

        VoucherOutcome.Done done = (VoucherOutcome.Done) redeem(redeemer, v, SECRET, null);
        assertThat(why(redeem(redeemer, v, SECRET, null))).isEqualTo(VoucherOutcome.Why.NOT_ALLOWED);
        assertThat(why(redeeming.redeem(new RedeemingVoucher.Request(redeemer, v.token(), "MTN_MOMO_UGA", SECRET,
                null)))).isEqualTo(VoucherOutcome.Why.NOT_FOUND);

        assertThat(done.voucher().status()).isEqualTo(VoucherStatus.REDEEMED);
        assertThat(stored(v)).extracting(Voucher::status, Voucher::redeemedBy)
                .containsExactly(VoucherStatus.REDEEMED, redeemer);
        assertThat(wallet(redeemer)).isEqualByComparingTo("40");
        assertThat(wallet(creator)).isEqualByComparingTo("60");
        assertThat(history(v)).extracting(Row::from, Row::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, "SUCCESSFUL"),
                org.assertj.core.groups.Tuple.tuple("SUCCESSFUL", "REDEEMED"));
        assertThat(db.callbacks(Voucher.CALLBACK_SUBJECT, v.id())).hasSize(1);
        assertLedgerSound();
    }

    @Test
    void ofConcurrentRedeemsOfOneVoucherExactlyOneMovesTheMoney() throws Exception {
        UUID creator = agent("100");
        List<UUID> redeemers = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_REDEEMS; i++) {
            redeemers.add(agent("0"));
        }
        Voucher v = create(creator, "75", null);
        BigDecimal held = holding();
        CountDownLatch start = new CountDownLatch(1);

        List<VoucherOutcome> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_REDEEMS)) {
            List<Callable<VoucherOutcome>> calls = new ArrayList<>();
            for (UUID redeemer : redeemers) {
                calls.add(() -> {
                    start.await();
                    return redeem(redeemer, v, SECRET, null);
                });
            }
            List<Future<VoucherOutcome>> futures = new ArrayList<>();
            calls.forEach(c -> futures.add(pool.submit(c)));
            start.countDown();
            for (Future<VoucherOutcome> f : futures) {
                outcomes.add(f.get());
            }
        }

        assertThat(outcomes).filteredOn(o -> o instanceof VoucherOutcome.Done).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof VoucherOutcome.Refused)
                .allSatisfy(o -> assertThat(why(o)).isEqualTo(VoucherOutcome.Why.NOT_ALLOWED));
        UUID winner = stored(v).redeemedBy();
        assertThat(redeemers.stream().map(VoucherUseCasesTest::wallet).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("75");
        assertThat(wallet(winner)).isEqualByComparingTo("75");
        assertThat(held.subtract(holding())).isEqualByComparingTo("75");
        assertThat(history(v)).extracting(Row::event).containsExactly("CREATED", "REDEEMED");
        assertLedgerSound();
    }

    @Test
    void onlyTheCreatorCancelsAndTheMoneyGoesBack() {
        UUID creator = agent("100");
        UUID other = agent("0");
        Voucher v = create(creator, "30", null);

        assertThat(why(cancelling.cancel(new CancellingVoucher.Request(other, v.token(), CORRESPONDENT, null))))
                .isEqualTo(VoucherOutcome.Why.NOT_FOUND);
        assertThat(cancelling.cancel(new CancellingVoucher.Request(creator, v.token(), CORRESPONDENT, null)))
                .isInstanceOf(VoucherOutcome.Done.class);
        assertThat(why(cancelling.cancel(new CancellingVoucher.Request(creator, v.token(), CORRESPONDENT, null))))
                .isEqualTo(VoucherOutcome.Why.NOT_ALLOWED);
        assertThat(why(redeem(other, v, SECRET, null))).isEqualTo(VoucherOutcome.Why.NOT_ALLOWED);

        assertThat(stored(v).status()).isEqualTo(VoucherStatus.CANCELLED);
        assertThat(wallet(creator)).isEqualByComparingTo("100");
        assertThat(wallet(other)).isEqualByComparingTo("0");
        assertThat(history(v)).extracting(Row::to).containsExactly("SUCCESSFUL", "CANCELLED");
        assertThat(db.callbacks(Voucher.CALLBACK_SUBJECT, v.id())).hasSize(1);
        assertLedgerSound();
    }

    @Test
    void aCashVoucherIsCancelledOnlyWithTheCancelOtpSentToItsSender() {
        UUID creator = agent("100");
        String sender = msisdn();
        Voucher v = create(creator, "20", sender);
        CancellingVoucher.Request withoutOtp = new CancellingVoucher.Request(creator, v.token(), CORRESPONDENT, null);

        assertThat(why(cancelling.cancel(withoutOtp))).isEqualTo(VoucherOutcome.Why.OTP_REQUIRED);
        assertThat(sendingOtp.send(new SendingVoucherOtp.Request(creator, v.token(), CORRESPONDENT,
                VoucherStore.OtpUseCase.CANCEL))).isInstanceOf(VoucherOutcome.Done.class);
        String otp = fromSms(sender, OTP);
        assertThat(cancelling.cancel(new CancellingVoucher.Request(creator, v.token(), CORRESPONDENT, otp)))
                .isInstanceOf(VoucherOutcome.Done.class);

        assertThat(wallet(creator)).isEqualByComparingTo("100");
        assertThat(history(v)).extracting(Row::event).containsExactly("CREATED", "OTP_SENT", "CANCELLED");
        assertLedgerSound();
    }

    @Test
    void anOtpGoesToTheReceiverByTextIsUsedOnceExpiresAndIsBoundedPerVoucher() {
        UUID creator = agent("100");
        UUID redeemer = agent("0");
        Voucher v = create(creator, "10", null);
        SendingVoucherOtp.Request ask = new SendingVoucherOtp.Request(redeemer, v.token(), CORRESPONDENT,
                VoucherStore.OtpUseCase.REDEEM);

        VoucherOutcome.Done sent = (VoucherOutcome.Done) sendingOtp.send(ask);
        assertThat(sent.otpExpiresAt()).isEqualTo(CLOCK.instant().plus(SendingVoucherOtp.OTP_VALIDITY));
        String expiring = fromSms(v.receiver().msisdn(), OTP);
        CLOCK.advance(SendingVoucherOtp.OTP_VALIDITY);
        assertThat(why(redeem(redeemer, v, null, expiring))).isEqualTo(VoucherOutcome.Why.OTP_EXPIRED);
        assertThat(why(sendingOtp.send(new SendingVoucherOtp.Request(creator, v.token(), CORRESPONDENT,
                VoucherStore.OtpUseCase.CANCEL)))).isEqualTo(VoucherOutcome.Why.NOT_ALLOWED);

        sendingOtp.send(ask);
        String otp = fromSms(v.receiver().msisdn(), OTP);
        assertThat(redeem(redeemer, v, null, otp)).isInstanceOf(VoucherOutcome.Done.class);
        assertThat(wallet(redeemer)).isEqualByComparingTo("10");
        assertThat(history(v)).extracting(Row::event).containsExactly("CREATED", "OTP_SENT", "OTP_SENT", "REDEEMED");

        Voucher bounded = create(creator, "5", null);
        SendingVoucherOtp.Request again = new SendingVoucherOtp.Request(redeemer, bounded.token(), CORRESPONDENT,
                VoucherStore.OtpUseCase.REDEEM);
        for (int i = 0; i < SendingVoucherOtp.OTPS_PER_VOUCHER_MAX; i++) {
            assertThat(sendingOtp.send(again)).isInstanceOf(VoucherOutcome.Done.class);
        }
        assertThat(why(sendingOtp.send(again))).isEqualTo(VoucherOutcome.Why.NOT_ALLOWED);
        assertThat(stored(bounded).otpsSent()).isEqualTo(SendingVoucherOtp.OTPS_PER_VOUCHER_MAX);
        assertLedgerSound();
    }

    @Test
    void wrongSecretsLockTheVoucherAgainstRedeemingButItsCreatorMayStillCancel() {
        UUID creator = agent("100");
        UUID redeemer = agent("0");
        Voucher v = create(creator, "25", null);

        for (int i = 1; i < VoucherCredentials.FAILED_ATTEMPTS_MAX; i++) {
            assertThat(why(redeem(redeemer, v, "00000000", null))).isEqualTo(VoucherOutcome.Why.WRONG_SECRET);
        }
        assertThat(why(redeem(redeemer, v, null, "123456"))).isEqualTo(VoucherOutcome.Why.LOCKED);
        assertThat(why(redeem(redeemer, v, SECRET, null))).isEqualTo(VoucherOutcome.Why.LOCKED);
        assertThat(why(sendingOtp.send(new SendingVoucherOtp.Request(redeemer, v.token(), CORRESPONDENT,
                VoucherStore.OtpUseCase.REDEEM)))).isEqualTo(VoucherOutcome.Why.LOCKED);
        assertThat(stored(v)).extracting(Voucher::status, Voucher::failedAttempts)
                .containsExactly(VoucherStatus.LOCKED, VoucherCredentials.FAILED_ATTEMPTS_MAX);
        assertThat(wallet(redeemer)).isEqualByComparingTo("0");

        assertThat(cancelling.cancel(new CancellingVoucher.Request(creator, v.token(), CORRESPONDENT, null)))
                .isInstanceOf(VoucherOutcome.Done.class);
        assertThat(wallet(creator)).isEqualByComparingTo("100");
        List<Row> rows = history(v);
        assertThat(rows).extracting(Row::event).containsExactly("CREATED", "WRONG_SECRET", "WRONG_SECRET",
                "WRONG_SECRET", "WRONG_SECRET", "WRONG_OTP", "LOCKED", "CANCELLED");
        assertThat(rows).extracting(Row::to).containsExactly("SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL", "SUCCESSFUL",
                "SUCCESSFUL", "SUCCESSFUL", "LOCKED", "CANCELLED");
        assertLedgerSound();
    }

    @Test
    void theStoreRefusesAStatusTheTableDoesNotAllowAndRollsTheChangeBack() {
        UUID creator = agent("100");
        Voucher v = create(creator, "15", null);
        redeem(agent("0"), v, SECRET, null);

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> store.inTransaction(books -> {
            Voucher locked = books.lock(v.token()).orElseThrow();
            books.append(new VoucherStore.Event(v.id(), "CANCELLED", locked.status(), VoucherStatus.CANCELLED,
                    creator, null, null, CLOCK.instant()));
            books.update(locked.withStatus(VoucherStatus.CANCELLED, null, CLOCK.instant()));
            return null;
        }));

        assertThat(thrown).isInstanceOf(IllegalStateException.class);
        assertThat(stored(v).status()).isEqualTo(VoucherStatus.REDEEMED);
        assertThat(history(v)).extracting(Row::event).containsExactly("CREATED", "REDEEMED");
    }
}
