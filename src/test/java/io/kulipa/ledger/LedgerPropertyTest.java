package io.kulipa.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.money.Amount;
import io.kulipa.payments.Accounting;
import io.kulipa.payments.CancellingEnqueuedPayout;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.GroupCommittingStore;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentChange;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.RecordingProviderOutcome;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.payments.ReleasingEnqueuedPayouts;
import io.kulipa.payments.ValidatingPaymentRequest;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.providers.Availability;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Operation;
import io.kulipa.providers.ProviderStatus;
import io.kulipa.store.Database;
import io.kulipa.store.JdbiLedgerStore;
import io.kulipa.store.JdbiMerchantStore;
import io.kulipa.store.JdbiPaymentStore;
import io.kulipa.testing.TestDatabase;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property-style test of the money rules, at the core level (no HTTP, no workers, no
 * simulator): seeded random sequences of deposits, payouts, refunds, repeats of earlier ids,
 * and operator outcomes (first, repeated and contradicting ones), with a few concurrent
 * bursts. After every step the ledger must be sound ({@link JdbiLedgerStore#verify()}), no
 * wallet may be overdrawn, and an independent model of the wallets, settlement accounts and
 * payments kept by this test must equal what the database holds.
 *
 * <p>Reproduce a failure with {@code -Dkulipa.ledger.seed=<seed>} (and optionally
 * {@code -Dkulipa.ledger.steps=<n>}). The sequence is fully determined by the seed up to the
 * first concurrent burst; after one, which of the racing requests won can differ between runs.
 */
class LedgerPropertyTest {

    private static final long[] DEFAULT_SEEDS = {1L, 20_240_607L, 424_242L, -7_331L};
    private static final int DEFAULT_STEPS_PER_SEED = 800;
    private static final int FULL_SWEEP_EVERY_STEPS = 50;
    private static final int TRACE_STEPS = 25;
    private static final Duration BURST_TIMEOUT = Duration.ofSeconds(30);

    private static final String COUNTRY = "ZMB";
    private static final String CURRENCY = "ZMW";
    private static final List<String> CORRESPONDENTS = List.of("MTN_MOMO_ZMB", "AIRTEL_OAPI_ZMB");
    private static final Map<String, String> PREFIX = Map.of("MTN_MOMO_ZMB", "26076", "AIRTEL_OAPI_ZMB", "26097");
    /** The catalog's limits for these correspondents, the same for deposits, payouts and refunds. */
    private static final BigDecimal MIN_AMOUNT = new BigDecimal("1");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("20000");
    private static final int MAX_DECIMALS = 2;
    private static final BigDecimal OPENING_A = new BigDecimal("8000.00");
    private static final BigDecimal OPENING_B = new BigDecimal("600.00");

    /** Everything that must never be in the payment table, one line per breach, in one round trip. */
    private static final String PROBLEMS_SQL = """
            SELECT 'client id with more than one payment: ' || kind || ' ' || client_ref FROM payment
            GROUP BY merchant_id, kind, client_ref HAVING count(*) > 1
            UNION ALL
            SELECT 'payment rows: ' || count(*) || ', the model knows ' || :payments FROM payment
            HAVING count(*) <> :payments
            UNION ALL
            SELECT 'deposit refunded beyond what it collected: ' || d.client_ref || ' ' || sum(r.amount)
                   || ' of ' || coalesce(d.processed_amount, d.amount)
            FROM payment d JOIN payment r ON r.related_payment_id = d.id
            WHERE r.kind = 'REFUND' AND r.state <> 'FAILED'
            GROUP BY d.id, d.client_ref, d.processed_amount, d.amount
            HAVING sum(r.amount) > coalesce(d.processed_amount, d.amount)
            UNION ALL
            SELECT 'refund of something else than a completed deposit of its merchant: ' || r.client_ref
            FROM payment r JOIN payment d ON d.id = r.related_payment_id
            WHERE r.kind = 'REFUND' AND (d.kind <> 'DEPOSIT' OR d.state <> 'COMPLETED' OR d.merchant_id <> r.merchant_id)
            UNION ALL
            SELECT 'refund without its deposit: ' || client_ref FROM payment
            WHERE kind = 'REFUND' AND related_payment_id IS NULL
            UNION ALL
            SELECT 'final payment with an open reservation: ' || p.kind || ' ' || p.client_ref || ' ' || p.state
            FROM ledger_transfer t JOIN payment p ON p.id = t.payment_id
            WHERE t.kind = 'PENDING' AND p.state IN ('COMPLETED', 'FAILED')
              AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = t.id)""";

    static LongStream seeds() {
        String fixed = System.getProperty("kulipa.ledger.seed");
        return fixed != null && !fixed.isBlank() ? LongStream.of(Long.parseLong(fixed.trim()))
                : LongStream.of(DEFAULT_SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void moneyRulesHoldAfterEveryRandomStep(long seed) throws Exception {
        int steps = Integer.getInteger("kulipa.ledger.steps", DEFAULT_STEPS_PER_SEED);
        try (Run run = new Run(seed)) {
            run.go(steps);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The model this test keeps of what the gateway should hold.

    /** One payment the gateway answered for, as this test expects it to be. */
    private static final class Tracked {
        final UUID id;
        final Merchant merchant;
        final PaymentKind kind;
        final String ref;
        final String correspondent;
        final BigDecimal amount;
        final PaymentRequest request;
        final RefundingDeposit.Request refundRequest;
        final Tracked deposit;
        final List<Tracked> refunds = new ArrayList<>();
        PaymentState state;
        boolean reserved;
        /** What the operator said it moved (null when it did not say); deposits only. */
        BigDecimal processed;
        FailureCode failureCode;

        Tracked(UUID id, Merchant merchant, PaymentKind kind, String ref, String correspondent, BigDecimal amount,
                PaymentRequest request, RefundingDeposit.Request refundRequest, Tracked deposit, PaymentState state) {
            this.id = id;
            this.merchant = merchant;
            this.kind = kind;
            this.ref = ref;
            this.correspondent = correspondent;
            this.amount = amount;
            this.request = request;
            this.refundRequest = refundRequest;
            this.deposit = deposit;
            this.state = state;
        }

        /** Waiting for its operator: the states an operator outcome applies to. */
        boolean awaitingOperator() {
            return state == PaymentState.ACCEPTED || state == PaymentState.SUBMITTED
                    || state == PaymentState.IN_DOUBT;
        }

        @Override
        public String toString() {
            return kind + " " + ref.substring(0, 8) + " " + amount.toPlainString() + " " + state
                    + (reserved ? " reserved" : "");
        }
    }

    private static final class Model {
        final Map<UUID, BigDecimal> walletPosted = new HashMap<>();
        final Map<UUID, BigDecimal> walletReserved = new HashMap<>();
        final Map<String, BigDecimal> settlementPosted = new HashMap<>();
        final Map<String, BigDecimal> settlementPending = new HashMap<>();
        BigDecimal equityPosted = BigDecimal.ZERO;
        final Map<String, Tracked> byRef = new HashMap<>();
        final Map<UUID, Tracked> byId = new HashMap<>();
        final List<Tracked> all = new ArrayList<>();

        static String key(Merchant m, PaymentKind kind, String ref) {
            return m.id() + "|" + kind + "|" + ref;
        }

        Tracked byRef(Merchant m, PaymentKind kind, String ref) {
            return byRef.get(key(m, kind, ref));
        }

        void fund(Merchant m, BigDecimal amount) {
            walletPosted.merge(m.id(), amount, BigDecimal::add);
            walletReserved.putIfAbsent(m.id(), BigDecimal.ZERO);
            equityPosted = equityPosted.subtract(amount);
        }

        void track(Tracked t) {
            assertThat(byRef.put(key(t.merchant, t.kind, t.ref), t)).as("client id tracked twice: " + t).isNull();
            assertThat(byId.put(t.id, t)).as("payment id answered for two client ids: " + t).isNull();
            all.add(t);
            if (t.deposit != null) {
                t.deposit.refunds.add(t);
            }
        }

        BigDecimal posted(Merchant m) {
            return walletPosted.getOrDefault(m.id(), BigDecimal.ZERO);
        }

        BigDecimal reserved(Merchant m) {
            return walletReserved.getOrDefault(m.id(), BigDecimal.ZERO);
        }

        BigDecimal available(Merchant m) {
            return posted(m).subtract(reserved(m));
        }

        void reserve(Tracked t) {
            t.reserved = true;
            walletReserved.merge(t.merchant.id(), t.amount, BigDecimal::add);
            settlementPending.merge(t.correspondent, t.amount, BigDecimal::add);
        }

        private void release(Tracked t, boolean post) {
            assertThat(t.reserved).as("model: releasing a reservation that is not open: " + t).isTrue();
            t.reserved = false;
            walletReserved.merge(t.merchant.id(), t.amount.negate(), BigDecimal::add);
            settlementPending.merge(t.correspondent, t.amount.negate(), BigDecimal::add);
            if (post) {
                walletPosted.merge(t.merchant.id(), t.amount.negate(), BigDecimal::add);
                settlementPosted.merge(t.correspondent, t.amount, BigDecimal::add);
            }
        }

        void complete(Tracked t, BigDecimal processed) {
            if (t.kind == PaymentKind.DEPOSIT) {
                BigDecimal credited = processed != null ? processed : t.amount;
                walletPosted.merge(t.merchant.id(), credited, BigDecimal::add);
                settlementPosted.merge(t.correspondent, credited.negate(), BigDecimal::add);
                t.processed = processed;
            } else {
                release(t, true);
            }
            t.state = PaymentState.COMPLETED;
        }

        void fail(Tracked t, FailureCode code) {
            if (t.reserved) {
                release(t, false);
            }
            t.state = PaymentState.FAILED;
            t.failureCode = code;
        }

        /** What the refunds of a deposit may still take: what it collected less its refunds that have not failed. */
        BigDecimal refundLeft(Tracked deposit) {
            BigDecimal collected = deposit.processed != null ? deposit.processed : deposit.amount;
            BigDecimal taken = deposit.refunds.stream().filter(r -> r.state != PaymentState.FAILED)
                    .map(r -> r.amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            return collected.subtract(taken);
        }

        List<Tracked> where(Predicate<Tracked> p) {
            return all.stream().filter(p).toList();
        }
    }

    /** Payouts to every correspondent can be held back (DELAYED) at the test's will. */
    private static final class SwitchableAvailability implements Availability {
        volatile boolean payoutsDelayed;

        @Override
        public Status status(String correspondent, Operation operation) {
            return operation == Operation.PAYOUT && payoutsDelayed ? Status.DELAYED : Status.OPERATIONAL;
        }
    }

    /** A drawn amount and the rejection the catalog's limits call for, if any. */
    private record Draw(Amount amount, FailureCode rejection) {
    }

    private record Free(Merchant merchant, PaymentKind kind, String ref) {
    }

    // ---------------------------------------------------------------------------------------
    // One seeded run on its own database.

    private static final class Run implements AutoCloseable {
        final long seed;
        final Random rnd;
        final Database db;
        final Jdbi jdbi;
        final JdbiPaymentStore payments;
        final JdbiLedgerStore ledger;
        final GroupCommittingStore writer;
        final InitiatingPayment initiating;
        final RecordingProviderOutcome outcomes;
        final RefundingDeposit refunding;
        final CancellingEnqueuedPayout cancelling;
        final ReleasingEnqueuedPayouts releasing;
        final SwitchableAvailability availability = new SwitchableAvailability();
        final List<Merchant> merchants = new ArrayList<>();
        final Model model = new Model();
        final List<Free> freeRefs = new ArrayList<>();
        final Deque<String> trace = new ArrayDeque<>();
        final Map<String, Integer> stats = new TreeMap<>();
        final Set<UUID> touched = new LinkedHashSet<>();
        final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        String current = "set-up";

        Run(long seed) throws Exception {
            this.seed = seed;
            this.rnd = new Random(seed);
            Path dir = Files.createTempDirectory("kulipa-ledger-property");
            db = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "", dir, 10));
            jdbi = db.jdbi();
            Clock clock = Clock.systemUTC();
            payments = new JdbiPaymentStore(jdbi, "ledger-property-" + seed, Duration.ofSeconds(30));
            ledger = new JdbiLedgerStore(jdbi);
            OnboardingMerchant onboarding = new OnboardingMerchant(new JdbiMerchantStore(jdbi));
            writer = new GroupCommittingStore(payments, 2);
            initiating = new InitiatingPayment(writer,
                    new ValidatingPaymentRequest(Catalog.loadDefault(), Availability.ALWAYS_OPERATIONAL),
                    availability, WorkHandOff.NONE, clock);
            outcomes = new RecordingProviderOutcome(writer, WorkHandOff.NONE, clock);
            refunding = new RefundingDeposit(payments, initiating, clock);
            cancelling = new CancellingEnqueuedPayout(payments, WorkHandOff.NONE, clock);
            releasing = new ReleasingEnqueuedPayouts(payments, availability, WorkHandOff.NONE, clock);
            BigDecimal[] openings = {OPENING_A.add(cents(0, 100_000)), OPENING_B};
            for (int i = 0; i < openings.length; i++) {
                Merchant m = onboarding.onboard("Property merchant " + (char) ('A' + i), Set.of(), Map.of(), null)
                        .merchant();
                ledger.apply(null, List.of(Accounting.opening(m.id(), COUNTRY, CURRENCY, openings[i])));
                merchants.add(m);
                model.fund(m, openings[i]);
            }
        }

        void go(int steps) {
            checkInvariants(true);
            for (int i = 0; i < steps; i++) {
                touched.clear();
                try {
                    String done = step();
                    remember("#" + i + " " + done);
                    checkInvariants(i % FULL_SWEEP_EVERY_STEPS == 0 || i == steps - 1);
                } catch (AssertionError | Exception e) {
                    throw new AssertionError("seed " + seed + ", step " + i + " (" + current + "): " + e.getMessage()
                            + "\n  last steps:\n    " + String.join("\n    ", trace)
                            + "\n  reproduce with -Dtest=LedgerPropertyTest -Dkulipa.ledger.seed=" + seed, e);
                }
            }
            System.out.println("LedgerPropertyTest seed " + seed + ": " + steps + " steps, "
                    + model.all.size() + " payments; " + stats);
            if (steps < DEFAULT_STEPS_PER_SEED) {
                return; // a short run (while reproducing) need not reach every corner
            }
            String why = "seed " + seed + " exercised too little: " + stats;
            assertThat(count("payout accepted")).as(why).isGreaterThan(20);
            assertThat(count("payout insufficient")).as(why).isPositive();
            assertThat(count("refund accepted")).as(why).isPositive();
            assertThat(count("refund over limit")).as(why).isPositive();
            assertThat(count("outcome completed")).as(why).isGreaterThan(20);
            assertThat(count("outcome failed")).as(why).isGreaterThan(10);
            assertThat(count("late outcome conflicting")).as(why).isPositive();
            assertThat(count("duplicate different body")).as(why).isPositive();
        }

        private void remember(String line) {
            trace.addLast(line);
            while (trace.size() > TRACE_STEPS) {
                trace.removeFirst();
            }
        }

        private int count(String what) {
            return stats.getOrDefault(what, 0);
        }

        private void note(String what) {
            stats.merge(what, 1, Integer::sum);
        }

        private String step() throws Exception {
            int r = rnd.nextInt(100);
            if (r < 17) {
                return newDeposit();
            } else if (r < 34) {
                return newPayout();
            } else if (r < 46) {
                return newRefund();
            } else if (r < 55) {
                return repeatEarlierId();
            } else if (r < 77) {
                return outcomeForWaitingPayment();
            } else if (r < 84) {
                return outcomeForFinalPayment();
            } else if (r < 88) {
                return progressWithOperator();
            } else if (r < 92) {
                return enqueuedPayouts();
            } else if (r < 97) {
                return switch (rnd.nextInt(3)) {
                    case 0 -> payoutBurst();
                    case 1 -> refundBurst();
                    default -> outcomeRace();
                };
            }
            return oddRequests();
        }

        // ---- new payments ---------------------------------------------------------------

        private String newDeposit() {
            Merchant m = pickMerchant();
            String corr = pick(CORRESPONDENTS);
            Draw d = drawAmount(m, PaymentKind.DEPOSIT);
            String msisdn = msisdn(corr);
            FailureCode expected = d.rejection();
            if (expected == null && rnd.nextInt(40) == 0) {
                msisdn = "254712" + digits(6);
                expected = FailureCode.INVALID_PAYER_FORMAT;
            }
            String ref = refFor(m, PaymentKind.DEPOSIT);
            PaymentRequest req = request(m, PaymentKind.DEPOSIT, ref, corr, msisdn, d.amount());
            current = "new deposit " + describe(req) + (expected == null ? "" : " expecting " + expected);
            InitiatingPayment.Result result = initiating.initiate(req);
            if (expected != null) {
                expectRejected(result, expected);
                freeRefs.add(new Free(m, PaymentKind.DEPOSIT, ref));
                note("deposit rejected");
                return current;
            }
            Payment p = expectAccepted(result, PaymentState.ACCEPTED, req);
            model.track(new Tracked(p.id(), m, PaymentKind.DEPOSIT, ref, corr, d.amount().value(), req, null, null,
                    PaymentState.ACCEPTED));
            touched.add(p.id());
            note("deposit accepted");
            return current;
        }

        private String newPayout() {
            Merchant m = pickMerchant();
            String corr = pick(CORRESPONDENTS);
            Draw d = drawAmount(m, PaymentKind.PAYOUT);
            String msisdn = msisdn(corr);
            FailureCode expected = d.rejection();
            if (expected == null && rnd.nextInt(40) == 0) {
                msisdn = "260" + digits(7);
                expected = FailureCode.INVALID_RECIPIENT_FORMAT;
            }
            String ref = refFor(m, PaymentKind.PAYOUT);
            PaymentRequest req = request(m, PaymentKind.PAYOUT, ref, corr, msisdn, d.amount());
            BigDecimal available = model.available(m);
            current = "new payout " + describe(req) + " with " + available.toPlainString() + " available"
                    + (availability.payoutsDelayed ? " (payouts delayed)" : "")
                    + (expected == null ? "" : " expecting " + expected);
            InitiatingPayment.Result result = initiating.initiate(req);
            if (expected != null) {
                expectRejected(result, expected);
                freeRefs.add(new Free(m, PaymentKind.PAYOUT, ref));
                note("payout rejected");
                return current;
            }
            trackReserving(m, PaymentKind.PAYOUT, ref, corr, d.amount().value(), req, null, null, result, available);
            return current;
        }

        /**
         * A payout or refund that passed every rule: reserved when the wallet covers it, else
         * failed with BALANCE_INSUFFICIENT and nothing reserved.
         */
        private void trackReserving(Merchant m, PaymentKind kind, String ref, String corr, BigDecimal amount,
                                    PaymentRequest req, RefundingDeposit.Request refundReq, Tracked deposit,
                                    InitiatingPayment.Result result, BigDecimal available) {
            boolean covered = available.compareTo(amount) >= 0;
            PaymentState expected = !covered ? PaymentState.FAILED
                    : kind == PaymentKind.PAYOUT && availability.payoutsDelayed ? PaymentState.ENQUEUED
                    : PaymentState.ACCEPTED;
            Payment p = expectAccepted(result, expected, req);
            assertThat(p.clientRef()).as("client id of the new " + kind).isEqualTo(ref);
            assertThat(p.amount()).as("amount of the new " + kind).isEqualByComparingTo(amount);
            Tracked t = new Tracked(p.id(), m, kind, ref, corr, amount, req, refundReq, deposit, expected);
            model.track(t);
            touched.add(p.id());
            if (covered) {
                model.reserve(t);
                note(kind.name().toLowerCase() + " accepted");
            } else {
                assertThat(p.failureCode()).as("failure code of an uncovered " + kind)
                        .isEqualTo(FailureCode.BALANCE_INSUFFICIENT);
                t.failureCode = FailureCode.BALANCE_INSUFFICIENT;
                note(kind.name().toLowerCase() + " insufficient");
            }
        }

        private String newRefund() {
            Merchant m = pickMerchant();
            String depositRef = refundTarget(m);
            Tracked deposit = model.byRef(m, PaymentKind.DEPOSIT, depositRef);
            BigDecimal left = deposit == null || deposit.state != PaymentState.COMPLETED ? BigDecimal.ZERO
                    : model.refundLeft(deposit);
            Amount amount = refundAmount(left);
            String ref = refFor(m, PaymentKind.REFUND);
            RefundingDeposit.Request req = new RefundingDeposit.Request(m, ref, depositRef, amount, "pawapay", List.of(),
                    fingerprint());
            BigDecimal available = model.available(m);
            current = "new refund " + ref.substring(0, 8) + " of " + (deposit == null ? "unknown deposit" : deposit)
                    + " for " + (amount == null ? "all that is left" : amount.text()) + " with "
                    + left.toPlainString() + " left and " + available.toPlainString() + " available";
            InitiatingPayment.Result result = refunding.refund(req);
            FailureCode expected = expectedRefundRejection(deposit, amount, left);
            if (expected != null) {
                expectRejected(result, expected);
                freeRefs.add(new Free(m, PaymentKind.REFUND, ref));
                note(expected == FailureCode.AMOUNT_TOO_LARGE && deposit != null
                        && deposit.state == PaymentState.COMPLETED ? "refund over limit" : "refund rejected");
                return current;
            }
            trackReserving(m, PaymentKind.REFUND, ref, deposit.correspondent, amount == null ? left : amount.value(),
                    null, req, deposit, result, available);
            Payment p = ((InitiatingPayment.Result.Accepted) result).payment();
            assertThat(p.relatedPaymentId()).as("refund points at its deposit").isEqualTo(deposit.id);
            assertThat(p.correspondent()).as("refund goes back through the deposit's correspondent")
                    .isEqualTo(deposit.correspondent);
            assertThat(p.msisdn()).as("refund goes back to the payer").isEqualTo(deposit.request.msisdn());
            return current;
        }

        private FailureCode expectedRefundRejection(Tracked deposit, Amount amount, BigDecimal left) {
            if (deposit == null || deposit.state != PaymentState.COMPLETED) {
                return FailureCode.PARAMETER_INVALID;
            }
            if (amount == null && left.signum() <= 0) {
                return FailureCode.AMOUNT_TOO_LARGE;
            }
            BigDecimal value = amount == null ? left : amount.value();
            FailureCode limits = limitRejection(value);
            if (limits != null) {
                return limits;
            }
            return value.compareTo(left) > 0 ? FailureCode.AMOUNT_TOO_LARGE : null;
        }

        /** The client ref of the deposit a refund names: mostly a completed one of the merchant's. */
        private String refundTarget(Merchant m) {
            int r = rnd.nextInt(100);
            if (r < 72) {
                List<Tracked> completed = model.where(t -> t.merchant == m && t.kind == PaymentKind.DEPOSIT
                        && t.state == PaymentState.COMPLETED);
                if (!completed.isEmpty()) {
                    return pick(completed).ref;
                }
            } else if (r < 84) {
                List<Tracked> unfinished = model.where(t -> t.merchant == m && t.kind == PaymentKind.DEPOSIT
                        && t.state != PaymentState.COMPLETED);
                if (!unfinished.isEmpty()) {
                    return pick(unfinished).ref;
                }
            } else if (r < 92) {
                // Another merchant's deposit is no deposit of this one.
                List<Tracked> others = model.where(t -> t.merchant != m && t.kind == PaymentKind.DEPOSIT
                        && t.state == PaymentState.COMPLETED && model.byRef(m, PaymentKind.DEPOSIT, t.ref) == null);
                if (!others.isEmpty()) {
                    return pick(others).ref;
                }
            }
            return newRef();
        }

        private Amount refundAmount(BigDecimal left) {
            int r = rnd.nextInt(100);
            if (r < 25 || left.signum() <= 0 && r < 40) {
                return null;
            } else if (r < 58 && left.compareTo(MIN_AMOUNT) >= 0) {
                return Amount.of(between(MIN_AMOUNT, left));
            } else if (r < 72 && left.signum() > 0) {
                return Amount.of(left);
            } else if (r < 88) {
                return Amount.of(left.max(BigDecimal.ZERO).add(cents(1, 200_000)));
            } else if (r < 94) {
                return Amount.of(new BigDecimal("0.50"));
            }
            return new Amount(new BigDecimal("3.333"), "3.333");
        }

        // ---- repeats of earlier ids -----------------------------------------------------

        private String repeatEarlierId() {
            if (model.all.isEmpty()) {
                return newDeposit();
            }
            Tracked t = pick(model.all);
            boolean sameBody = rnd.nextBoolean();
            InitiatingPayment.Result result;
            if (t.kind == PaymentKind.REFUND) {
                RefundingDeposit.Request again = sameBody ? t.refundRequest
                        : new RefundingDeposit.Request(t.merchant, t.ref,
                        rnd.nextBoolean() ? t.refundRequest.depositId() : newRef(),
                        rnd.nextBoolean() ? null : Amount.of(cents(1, 5_000_000)), "pawapay", List.of(), fingerprint());
                current = "repeat of " + t + (sameBody ? " with the same body" : " with another body");
                result = refunding.refund(again);
            } else {
                PaymentRequest again = sameBody ? t.request : variant(t.request);
                current = "repeat of " + t + (sameBody ? " with the same body" : " with another body "
                        + describe(again));
                result = initiating.initiate(again);
            }
            assertThat(result).as("answer to a repeated id").isInstanceOf(InitiatingPayment.Result.Duplicate.class);
            Payment original = ((InitiatingPayment.Result.Duplicate) result).original();
            assertThat(original.id()).as("a repeat answers with the original payment").isEqualTo(t.id);
            assertThat(original.state()).as("state in the duplicate answer").isEqualTo(t.state);
            assertThat(last(payments.history(t.id))).as("history of a repeat")
                    .endsWith(sameBody ? "REPEAT_SAME_BODY_IGNORED" : "REPEAT_DIFFERENT_BODY_IGNORED");
            touched.add(t.id);
            note(sameBody ? "duplicate same body" : "duplicate different body");
            return current;
        }

        /** The same client id with another body: another amount (sometimes one the rules refuse), maybe another payee. */
        private PaymentRequest variant(PaymentRequest r) {
            Amount amount = switch (rnd.nextInt(5)) {
                case 0 -> new Amount(new BigDecimal("7.777"), "7.777");
                case 1 -> Amount.of(MAX_AMOUNT.add(BigDecimal.ONE));
                default -> Amount.of(cents(100, 2_000_000));
            };
            String corr = rnd.nextBoolean() ? r.correspondent() : pick(CORRESPONDENTS);
            return new PaymentRequest(r.merchant(), r.kind(), r.clientRef(), r.dialect(), amount, r.currency(),
                    r.country(), corr, msisdn(corr), r.customerTimestamp(), r.statementDescription(), null, List.of(),
                    fingerprint(), null, null);
        }

        // ---- operator outcomes ----------------------------------------------------------

        private String outcomeForWaitingPayment() {
            List<Tracked> waiting = model.where(Tracked::awaitingOperator);
            if (waiting.isEmpty()) {
                return newDeposit();
            }
            Tracked t = pick(waiting);
            ProviderStatus.Final outcome = randomOutcome(t);
            current = "first outcome " + show(outcome) + " for " + t;
            boolean moved = outcomes.apply(t.id, outcome);
            assertThat(moved).as("the first final outcome moves the payment").isTrue();
            apply(t, outcome);
            touched.add(t.id);
            Payment p = payments.get(t.id).orElseThrow();
            if (outcome instanceof ProviderStatus.Completed c) {
                if (t.kind == PaymentKind.DEPOSIT) {
                    assertSameAmount(p.processedAmount(), c.processedAmount(), "processed amount of the deposit");
                }
                note("outcome completed");
            } else {
                assertThat(p.failureCode()).as("failure code").isEqualTo(t.failureCode);
                note("outcome failed");
            }
            return current;
        }

        private void apply(Tracked t, ProviderStatus.Final outcome) {
            switch (outcome) {
                case ProviderStatus.Completed c -> model.complete(t, c.processedAmount());
                case ProviderStatus.Failed f -> model.fail(t, FailureCode.fromProvider(f.failureCode()));
            }
        }

        private ProviderStatus.Final randomOutcome(Tracked t) {
            if (rnd.nextInt(100) < 62) {
                BigDecimal processed = t.amount;
                int r = rnd.nextInt(10);
                if (r == 0) {
                    processed = null;
                } else if (r == 1 && t.kind == PaymentKind.DEPOSIT && t.amount.compareTo(new BigDecimal("0.02")) >= 0) {
                    // The operator moved less than was asked: the wallet gets, and refunds may take, only that.
                    processed = between(new BigDecimal("0.01"), t.amount.subtract(new BigDecimal("0.01")));
                }
                return completed(processed);
            }
            return failed(pick(List.of("RECIPIENT_NOT_FOUND", "OTHER_ERROR", "PAYER_NOT_FOUND",
                    "INSUFFICIENT_BALANCE", "A_CODE_KULIPA_DOES_NOT_KNOW")));
        }

        private ProviderStatus.Completed completed(BigDecimal processed) {
            String ref = "SIM-" + digits(8);
            return new ProviderStatus.Completed(ref, processed, Instant.now(), Map.of("SIM_REF", ref));
        }

        private ProviderStatus.Failed failed(String code) {
            return new ProviderStatus.Failed("SIM-" + digits(8), code, "simulated " + code, Instant.now());
        }

        private String outcomeForFinalPayment() {
            List<Tracked> finished = model.where(t -> t.state.isFinal());
            if (finished.isEmpty()) {
                return outcomeForWaitingPayment();
            }
            Tracked t = pick(finished);
            boolean completes = rnd.nextBoolean();
            ProviderStatus.Final outcome = completes ? completed(rnd.nextBoolean() ? t.amount : null)
                    : failed("OTHER_ERROR");
            boolean agrees = completes == (t.state == PaymentState.COMPLETED);
            current = (agrees ? "repeated" : "contradicting") + " outcome " + show(outcome) + " for " + t;
            assertThat(outcomes.apply(t.id, outcome)).as("a late outcome never moves a final payment").isFalse();
            assertThat(last(payments.history(t.id))).as("history of a late outcome")
                    .endsWith(agrees ? "DUPLICATE_OUTCOME_IGNORED" : "CONFLICTING_OUTCOME_ESCALATED");
            touched.add(t.id);
            note(agrees ? "late outcome repeated" : "late outcome conflicting");
            return current;
        }

        /** The operator takes a payment (SUBMITTED) or leaves it in doubt; a doubtful one may be sent again. */
        private String progressWithOperator() {
            List<Tracked> waiting = model.where(t -> t.awaitingOperator());
            if (waiting.isEmpty()) {
                return newPayout();
            }
            Tracked t = pick(waiting);
            PaymentState to = switch (t.state) {
                case ACCEPTED -> rnd.nextInt(3) == 0 ? PaymentState.IN_DOUBT : PaymentState.SUBMITTED;
                case IN_DOUBT -> rnd.nextBoolean() ? PaymentState.ACCEPTED : PaymentState.SUBMITTED;
                default -> PaymentState.ACCEPTED; // SUBMITTED may not go back; the store must refuse it.
            };
            boolean allowed = t.state != PaymentState.SUBMITTED;
            current = "operator moves " + t + " to " + to;
            Optional<?> moved = payments.transition(t.id, to, PaymentChange.event("PROPERTY_TEST_" + to), List.of());
            assertThat(moved.isPresent()).as("transition " + t.state + " > " + to + " allowed").isEqualTo(allowed);
            if (allowed) {
                t.state = to;
            }
            touched.add(t.id);
            note("progress " + (allowed ? "applied" : "refused"));
            return current;
        }

        /** Payouts held back while their correspondent is DELAYED: switched on and off, released, cancelled. */
        private String enqueuedPayouts() {
            int r = rnd.nextInt(100);
            List<Tracked> enqueued = model.where(t -> t.state == PaymentState.ENQUEUED);
            if (r < 35) {
                availability.payoutsDelayed = !availability.payoutsDelayed;
                if (availability.payoutsDelayed) {
                    current = "payouts delayed";
                    note("payouts delayed");
                    return current;
                }
                current = "payouts operational again: " + enqueued.size() + " enqueued are released";
                assertThat(releasing.releaseNow()).as("payouts released").isEqualTo(enqueued.size());
                for (Tracked t : enqueued) {
                    t.state = PaymentState.ACCEPTED;
                    touched.add(t.id);
                }
                note("payouts released");
                return current;
            }
            if (!enqueued.isEmpty() && r < 85) {
                Tracked t = pick(enqueued);
                current = "cancel enqueued " + t;
                assertThat(cancelling.cancel(t.merchant.id(), "pawapay", t.ref)).as("cancelling an enqueued payout").isEmpty();
                model.fail(t, FailureCode.MANUALLY_CANCELLED);
                touched.add(t.id);
                Payment p = payments.get(t.id).orElseThrow();
                assertThat(p.failureCode()).isEqualTo(FailureCode.MANUALLY_CANCELLED);
                note("enqueued cancelled");
                return current;
            }
            List<Tracked> others = model.where(t -> t.kind == PaymentKind.PAYOUT && t.state != PaymentState.ENQUEUED);
            if (others.isEmpty()) {
                return newPayout();
            }
            Tracked t = pick(others);
            current = "cancel payout that is not enqueued: " + t;
            assertThat(cancelling.cancel(t.merchant.id(), "pawapay", t.ref)).as("cancelling a payout that is not enqueued")
                    .isPresent();
            touched.add(t.id);
            note("cancel refused");
            return current;
        }

        /** Requests that must change nothing: outcomes for unknown payments, cancels of unknown payouts. */
        private String oddRequests() {
            UUID unknown = new UUID(rnd.nextLong(), rnd.nextLong());
            current = "outcome and cancel for unknown ids";
            assertThat(outcomes.apply(unknown, completed(BigDecimal.TEN))).isFalse();
            assertThat(outcomes.apply(unknown, failed("OTHER_ERROR"))).isFalse();
            assertThat(cancelling.cancel(pickMerchant().id(), "pawapay", newRef())).isPresent();
            note("odd requests");
            return current;
        }

        // ---- concurrent bursts ----------------------------------------------------------

        /**
         * Several payouts of one merchant at once, some sent twice: each id gets exactly one
         * payment, the reservations together never exceed what was available, and a payout
         * refused for funds really did not fit in what the others left.
         */
        private String payoutBurst() throws Exception {
            Merchant m = pickMerchant();
            BigDecimal available = model.available(m);
            int distinct = 3 + rnd.nextInt(6);
            List<PaymentRequest> requests = new ArrayList<>();
            BigDecimal ceiling = available.max(new BigDecimal("10")).min(MAX_AMOUNT);
            for (int i = 0; i < distinct; i++) {
                String corr = pick(CORRESPONDENTS);
                BigDecimal amount = between(MIN_AMOUNT, ceiling.divide(new BigDecimal(1 + rnd.nextInt(4)), 2,
                        RoundingMode.DOWN).max(MIN_AMOUNT));
                // Fresh ids only: the model learns of this burst's payments after all of them are answered.
                PaymentRequest req = request(m, PaymentKind.PAYOUT, newRef(), corr,
                        msisdn(corr), Amount.of(amount));
                requests.add(req);
                if (rnd.nextInt(4) == 0) {
                    requests.add(req);
                }
            }
            current = "burst of " + requests.size() + " payouts (" + distinct + " ids) with "
                    + available.toPlainString() + " available" + (availability.payoutsDelayed ? ", delayed" : "");
            List<InitiatingPayment.Result> results = all(requests.stream()
                    .<Callable<InitiatingPayment.Result>>map(r -> () -> initiating.initiate(r)).toList());
            Map<String, List<InitiatingPayment.Result>> byRef = group(requests.stream().map(PaymentRequest::clientRef)
                    .toList(), results);
            BigDecimal reservedNow = BigDecimal.ZERO;
            List<BigDecimal> refused = new ArrayList<>();
            for (PaymentRequest req : distinctByRef(requests)) {
                Payment p = oneCreated(byRef.get(req.clientRef()), req.clientRef());
                Tracked t = new Tracked(p.id(), m, PaymentKind.PAYOUT, req.clientRef(), req.correspondent(),
                        req.amount().value(), req, null, null, p.state());
                model.track(t);
                touched.add(p.id());
                if (p.state() == PaymentState.FAILED) {
                    assertThat(p.failureCode()).as("failure code in a burst").isEqualTo(FailureCode.BALANCE_INSUFFICIENT);
                    t.failureCode = FailureCode.BALANCE_INSUFFICIENT;
                    refused.add(t.amount);
                    note("payout insufficient");
                } else {
                    assertThat(p.state()).isEqualTo(availability.payoutsDelayed ? PaymentState.ENQUEUED
                            : PaymentState.ACCEPTED);
                    model.reserve(t);
                    reservedNow = reservedNow.add(t.amount);
                    note("payout accepted");
                }
            }
            assertThat(reservedNow).as("reserved by the burst").isLessThanOrEqualTo(available);
            for (BigDecimal amount : refused) {
                assertThat(amount).as("a payout refused for funds did not fit in what was left")
                        .isGreaterThan(available.subtract(reservedNow));
            }
            note("burst payouts");
            return current;
        }

        /**
         * Several refunds of one deposit at once: together they never take more than is left,
         * and one refused as too large really did not fit in what the accepted ones left.
         */
        private String refundBurst() throws Exception {
            List<Tracked> candidates = model.where(t -> t.kind == PaymentKind.DEPOSIT && t.state == PaymentState.COMPLETED
                    && model.refundLeft(t).compareTo(new BigDecimal("2")) >= 0);
            if (candidates.isEmpty()) {
                return newRefund();
            }
            Tracked deposit = pick(candidates);
            Merchant m = deposit.merchant;
            BigDecimal left = model.refundLeft(deposit);
            BigDecimal available = model.available(m);
            List<RefundingDeposit.Request> requests = new ArrayList<>();
            int distinct = 2 + rnd.nextInt(5);
            for (int i = 0; i < distinct; i++) {
                BigDecimal amount = between(MIN_AMOUNT, left.divide(new BigDecimal(1 + rnd.nextInt(3)), 2,
                        RoundingMode.DOWN).max(MIN_AMOUNT));
                RefundingDeposit.Request req = new RefundingDeposit.Request(m, newRef(),
                        deposit.ref, Amount.of(amount), "pawapay", List.of(), fingerprint());
                requests.add(req);
                if (rnd.nextInt(4) == 0) {
                    requests.add(req);
                }
            }
            current = "burst of " + requests.size() + " refunds (" + distinct + " ids) of " + deposit + " with "
                    + left.toPlainString() + " left and " + available.toPlainString() + " available";
            List<InitiatingPayment.Result> results = all(requests.stream()
                    .<Callable<InitiatingPayment.Result>>map(r -> () -> refunding.refund(r)).toList());
            Map<String, List<InitiatingPayment.Result>> byRef = group(requests.stream()
                    .map(RefundingDeposit.Request::refundId).toList(), results);
            BigDecimal counted = BigDecimal.ZERO;
            BigDecimal reservedNow = BigDecimal.ZERO;
            List<BigDecimal> overLimit = new ArrayList<>();
            List<BigDecimal> uncovered = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (RefundingDeposit.Request req : requests) {
                if (!seen.add(req.refundId())) {
                    continue;
                }
                List<InitiatingPayment.Result> answers = byRef.get(req.refundId());
                if (answers.stream().allMatch(a -> a instanceof InitiatingPayment.Result.Rejected)) {
                    for (InitiatingPayment.Result a : answers) {
                        assertThat(((InitiatingPayment.Result.Rejected) a).rejection().code())
                                .as("a refund of a burst is only refused as too large").isEqualTo(FailureCode.AMOUNT_TOO_LARGE);
                    }
                    overLimit.add(req.amount().value());
                    freeRefs.add(new Free(m, PaymentKind.REFUND, req.refundId()));
                    note("refund over limit");
                    continue;
                }
                Payment p = oneCreated(answers, req.refundId());
                Tracked t = new Tracked(p.id(), m, PaymentKind.REFUND, req.refundId(), deposit.correspondent,
                        req.amount().value(), null, req, deposit, p.state());
                model.track(t);
                touched.add(p.id());
                if (p.state() == PaymentState.FAILED) {
                    assertThat(p.failureCode()).isEqualTo(FailureCode.BALANCE_INSUFFICIENT);
                    t.failureCode = FailureCode.BALANCE_INSUFFICIENT;
                    uncovered.add(t.amount);
                    note("refund insufficient");
                } else {
                    assertThat(p.state()).isEqualTo(PaymentState.ACCEPTED);
                    model.reserve(t);
                    counted = counted.add(t.amount);
                    reservedNow = reservedNow.add(t.amount);
                    note("refund accepted");
                }
            }
            assertThat(counted).as("refunded by the burst").isLessThanOrEqualTo(left);
            assertThat(reservedNow).as("reserved by the burst").isLessThanOrEqualTo(available);
            for (BigDecimal amount : overLimit) {
                assertThat(amount).as("a refund refused as too large did not fit in what was left")
                        .isGreaterThan(left.subtract(counted));
            }
            for (BigDecimal amount : uncovered) {
                assertThat(amount).as("a refund refused for funds did not fit in the wallet")
                        .isGreaterThan(available.subtract(reservedNow));
            }
            note("burst refunds");
            return current;
        }

        /** Completed and failed outcomes for one payment at once: exactly one wins. */
        private String outcomeRace() throws Exception {
            List<Tracked> waiting = model.where(Tracked::awaitingOperator);
            if (waiting.isEmpty()) {
                return newDeposit();
            }
            Tracked t = pick(waiting);
            List<ProviderStatus.Final> sent = new ArrayList<>();
            int racers = 2 + rnd.nextInt(3);
            for (int i = 0; i < racers; i++) {
                sent.add(i == 0 ? completed(t.amount) : i == 1 ? failed("OTHER_ERROR") : randomOutcome(t));
            }
            current = "race of " + racers + " outcomes for " + t;
            List<Boolean> moved = all(sent.stream().<Callable<Boolean>>map(o -> () -> outcomes.apply(t.id, o)).toList());
            assertThat(moved.stream().filter(Boolean::booleanValue).count()).as("outcomes that won: " + moved)
                    .isEqualTo(1);
            ProviderStatus.Final winner = sent.get(moved.indexOf(Boolean.TRUE));
            apply(t, winner);
            touched.add(t.id);
            note("outcome race");
            note(winner instanceof ProviderStatus.Completed ? "outcome completed" : "outcome failed");
            return current;
        }

        private <T> List<T> all(List<Callable<T>> calls) throws Exception {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(BURST_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            return results;
        }

        private static Map<String, List<InitiatingPayment.Result>> group(List<String> refs,
                                                                          List<InitiatingPayment.Result> results) {
            Map<String, List<InitiatingPayment.Result>> byRef = new LinkedHashMap<>();
            for (int i = 0; i < refs.size(); i++) {
                byRef.computeIfAbsent(refs.get(i), k -> new ArrayList<>()).add(results.get(i));
            }
            return byRef;
        }

        private static List<PaymentRequest> distinctByRef(List<PaymentRequest> requests) {
            Map<String, PaymentRequest> byRef = new LinkedHashMap<>();
            requests.forEach(r -> byRef.putIfAbsent(r.clientRef(), r));
            return List.copyOf(byRef.values());
        }

        /** Of the answers to one id sent several times at once: one created it, the others name it. */
        private static Payment oneCreated(List<InitiatingPayment.Result> answers, String ref) {
            List<Payment> created = answers.stream().filter(a -> a instanceof InitiatingPayment.Result.Accepted)
                    .map(a -> ((InitiatingPayment.Result.Accepted) a).payment()).toList();
            assertThat(created).as("payments created for id " + ref + " sent " + answers.size() + " times: " + answers)
                    .hasSize(1);
            for (InitiatingPayment.Result a : answers) {
                if (a instanceof InitiatingPayment.Result.Duplicate d) {
                    assertThat(d.original().id()).as("a concurrent repeat names the one payment of id " + ref)
                            .isEqualTo(created.getFirst().id());
                } else {
                    assertThat(a).as("answer to id " + ref).isInstanceOf(InitiatingPayment.Result.Accepted.class);
                }
            }
            return created.getFirst();
        }

        // ---- invariants -----------------------------------------------------------------

        private void checkInvariants(boolean fullSweep) {
            assertThat(ledger.verify()).as("JdbiLedgerStore.verify()").isEmpty();
            for (Merchant m : merchants) {
                Balance b = ledger.balance(AccountRef.merchantWallet(m.id(), COUNTRY, CURRENCY).code()).orElseThrow();
                assertThat(b.available()).as("available balance of " + m.name()).isGreaterThanOrEqualTo(BigDecimal.ZERO);
                assertThat(b.posted()).as("posted balance of " + m.name() + " (ledger vs model)")
                        .isEqualByComparingTo(model.posted(m));
                assertThat(b.reserved()).as("reserved in the wallet of " + m.name() + " (ledger vs model)")
                        .isEqualByComparingTo(model.reserved(m));
                assertThat(b.creditsPending()).as("pending credits of a wallet").isEqualByComparingTo(BigDecimal.ZERO);
            }
            for (String corr : CORRESPONDENTS) {
                Optional<Balance> b = ledger.balance(AccountRef.settlement(corr, CURRENCY).code());
                assertThat(b.map(Balance::posted).orElse(BigDecimal.ZERO)).as("posted balance of settlement " + corr)
                        .isEqualByComparingTo(model.settlementPosted.getOrDefault(corr, BigDecimal.ZERO));
                assertThat(b.map(Balance::creditsPending).orElse(BigDecimal.ZERO))
                        .as("pending credits of settlement " + corr)
                        .isEqualByComparingTo(model.settlementPending.getOrDefault(corr, BigDecimal.ZERO));
            }
            jdbi.useHandle(h -> {
                assertThat(h.createQuery(PROBLEMS_SQL).bind("payments", model.all.size()).mapTo(String.class).list())
                        .as("payment table against the rules").isEmpty();
                if (touched.isEmpty()) {
                    return;
                }
                Map<UUID, String> rows = new HashMap<>();
                h.createQuery("""
                                SELECT p.id, p.state || ' ' || p.merchant_id || ' ' || p.kind || ' ' || p.client_ref
                                       || CASE WHEN EXISTS (SELECT 1 FROM ledger_transfer t
                                                            WHERE t.payment_id = p.id AND t.kind = 'PENDING'
                                                              AND NOT EXISTS (SELECT 1 FROM ledger_transfer r
                                                                              WHERE r.pending_id = t.id))
                                               THEN ' reserved' ELSE '' END
                                FROM payment p WHERE p.id IN (<ids>)""")
                        .bindList("ids", List.copyOf(touched))
                        .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2)))
                        .forEach(e -> rows.put(e.getKey(), e.getValue()));
                for (UUID id : touched) {
                    Tracked t = model.byId.get(id);
                    // With client ids unique (PROBLEMS_SQL), this row is the one payment of t's client id.
                    assertThat(rows.get(id)).as("payment row of " + t).isEqualTo(t.state + " " + t.merchant.id() + " "
                            + t.kind + " " + t.ref + (t.reserved ? " reserved" : ""));
                }
            });
            if (fullSweep) {
                fullSweep();
            }
        }

        /** Every payment's state, every open reservation and the opening-balance account against the model. */
        private void fullSweep() {
            jdbi.useHandle(h -> {
                Map<UUID, String> states = new HashMap<>();
                h.createQuery("SELECT id, state FROM payment").map((rs, ctx) ->
                        Map.entry(rs.getObject("id", UUID.class), rs.getString("state")))
                        .forEach(e -> states.put(e.getKey(), e.getValue()));
                for (Tracked t : model.all) {
                    assertThat(states.get(t.id)).as("state of " + t).isEqualTo(t.state.name());
                }
                Map<UUID, BigDecimal> open = new HashMap<>();
                h.createQuery("""
                                SELECT t.payment_id, t.amount FROM ledger_transfer t WHERE t.kind = 'PENDING'
                                AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = t.id)""")
                        .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getBigDecimal(2)))
                        .forEach(e -> assertThat(open.put(e.getKey(), e.getValue()))
                                .as("two open reservations for payment " + e.getKey()).isNull());
                Map<UUID, BigDecimal> expected = new HashMap<>();
                model.all.stream().filter(t -> t.reserved).forEach(t -> expected.put(t.id, t.amount));
                assertThat(open.keySet()).as("payments with an open reservation").isEqualTo(expected.keySet());
                expected.forEach((id, amount) -> assertThat(open.get(id)).as("reservation of " + model.byId.get(id))
                        .isEqualByComparingTo(amount));
                assertThat(h.createQuery("""
                                SELECT count(*) FROM ledger_transfer t JOIN payment p ON p.id = t.payment_id
                                WHERE t.kind = 'PENDING' AND t.amount <> p.amount""").mapTo(Long.class).one())
                        .as("reservations for another amount than their payment's").isZero();
            });
            for (Tracked t : model.all) {
                if (t.reserved) {
                    assertThat(ledger.openReservation(t.id)).as("LedgerStore.openReservation of " + t)
                            .contains(t.id);
                }
            }
            Balance equity = ledger.balance(AccountRef.equity(CURRENCY).code()).orElseThrow();
            assertThat(equity.posted()).as("opening-balance account").isEqualByComparingTo(model.equityPosted);
        }

        // ---- drawing --------------------------------------------------------------------

        private Merchant pickMerchant() {
            return merchants.get(rnd.nextInt(10) < 8 ? 0 : 1);
        }

        private <T> T pick(List<T> items) {
            return items.get(rnd.nextInt(items.size()));
        }

        private String newRef() {
            return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
        }

        /**
         * A client id for a new payment: mostly a fresh one, sometimes one a rejected request
         * used (nothing was written, so it is free), sometimes one the merchant used for
         * another kind or another merchant used (ids are per merchant and kind).
         */
        private String refFor(Merchant m, PaymentKind kind) {
            int r = rnd.nextInt(100);
            if (r < 5) {
                List<Free> free = freeRefs.stream().filter(f -> f.merchant() == m && f.kind() == kind
                        && model.byRef(m, kind, f.ref()) == null).toList();
                if (!free.isEmpty()) {
                    Free f = pick(free);
                    freeRefs.remove(f);
                    note("reused rejected id");
                    return f.ref();
                }
            } else if (r < 9) {
                List<Tracked> elsewhere = model.where(t -> (t.merchant != m || t.kind != kind)
                        && model.byRef(m, kind, t.ref) == null);
                if (!elsewhere.isEmpty()) {
                    note("reused id of another kind or merchant");
                    return pick(elsewhere).ref;
                }
            }
            return newRef();
        }

        private String fingerprint() {
            return "fp-" + Long.toHexString(rnd.nextLong());
        }

        private String digits(int n) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < n; i++) {
                s.append((char) ('0' + rnd.nextInt(10)));
            }
            return s.toString();
        }

        private String msisdn(String corr) {
            return PREFIX.get(corr) + digits(7);
        }

        /** A whole number of cents in [fromCents, toCents). */
        private BigDecimal cents(long fromCents, long toCents) {
            return BigDecimal.valueOf(fromCents + (long) (rnd.nextDouble() * (toCents - fromCents)), 2);
        }

        /** An amount of whole cents in [low, high]. */
        private BigDecimal between(BigDecimal low, BigDecimal high) {
            long lo = low.movePointRight(2).setScale(0, RoundingMode.CEILING).longValueExact();
            long hi = high.movePointRight(2).setScale(0, RoundingMode.FLOOR).longValueExact();
            return hi <= lo ? BigDecimal.valueOf(lo, 2) : cents(lo, hi + 1);
        }

        /**
         * An amount for a new deposit or payout: mostly small, sometimes large, for payouts
         * sometimes right at the edge of what the wallet holds, and now and then one the
         * catalog's limits refuse.
         */
        private Draw drawAmount(Merchant m, PaymentKind kind) {
            int r = rnd.nextInt(100);
            if (r < 2) {
                return new Draw(new Amount(new BigDecimal("12.345"), "12.345"), FailureCode.INVALID_AMOUNT);
            } else if (r < 4) {
                return withLimits(Amount.of(cents(1, 100)));
            } else if (r < 6) {
                return withLimits(Amount.of(MAX_AMOUNT.add(cents(1, 100_000))));
            } else if (kind == PaymentKind.PAYOUT && r < 16) {
                BigDecimal edge = model.available(m).add(BigDecimal.valueOf(rnd.nextInt(3) - 1, 2));
                return withLimits(Amount.of(edge.max(new BigDecimal("0.01"))));
            } else if (r < 62) {
                return withLimits(Amount.of(cents(100, 30_000)));
            } else if (r < 90) {
                return withLimits(Amount.of(cents(30_000, 300_000)));
            }
            return withLimits(Amount.of(cents(300_000, 2_000_001)));
        }

        private static Draw withLimits(Amount amount) {
            return new Draw(amount, limitRejection(amount.value()));
        }

        private static FailureCode limitRejection(BigDecimal value) {
            if (Math.max(0, value.stripTrailingZeros().scale()) > MAX_DECIMALS) {
                return FailureCode.INVALID_AMOUNT;
            }
            if (value.compareTo(MIN_AMOUNT) < 0) {
                return FailureCode.AMOUNT_TOO_SMALL;
            }
            return value.compareTo(MAX_AMOUNT) > 0 ? FailureCode.AMOUNT_TOO_LARGE : null;
        }

        private PaymentRequest request(Merchant m, PaymentKind kind, String ref, String corr, String msisdn,
                                       Amount amount) {
            return new PaymentRequest(m, kind, ref, "pawapay", amount, CURRENCY, rnd.nextBoolean() ? COUNTRY : null,
                    corr, msisdn, "2020-02-21T17:32:28Z", "Property test", null, List.of(), fingerprint(), null, null);
        }

        // ---- answers --------------------------------------------------------------------

        private static void expectRejected(InitiatingPayment.Result result, FailureCode code) {
            assertThat(result).as("answer").isInstanceOf(InitiatingPayment.Result.Rejected.class);
            assertThat(((InitiatingPayment.Result.Rejected) result).rejection().code()).as("rejection code")
                    .isEqualTo(code);
        }

        private static Payment expectAccepted(InitiatingPayment.Result result, PaymentState state, PaymentRequest req) {
            assertThat(result).as("answer").isInstanceOf(InitiatingPayment.Result.Accepted.class);
            Payment p = ((InitiatingPayment.Result.Accepted) result).payment();
            assertThat(p.state()).as("state of the new payment").isEqualTo(state);
            if (req != null) {
                assertThat(p.clientRef()).isEqualTo(req.clientRef());
                assertThat(p.amount()).isEqualByComparingTo(req.amount().value());
                assertThat(p.correspondent()).isEqualTo(req.correspondent());
            }
            return p;
        }

        private static void assertSameAmount(BigDecimal actual, BigDecimal expected, String what) {
            if (expected == null) {
                assertThat(actual).as(what).isNull();
            } else {
                assertThat(actual).as(what).isNotNull().isEqualByComparingTo(expected);
            }
        }

        private static String last(List<String> history) {
            assertThat(history).as("history").isNotEmpty();
            return history.getLast();
        }

        private static String describe(PaymentRequest r) {
            return r.kind() + " " + r.clientRef().substring(0, 8) + " " + r.amount().text() + " " + r.currency()
                    + " via " + r.correspondent() + " " + r.msisdn();
        }

        private static String show(ProviderStatus.Final outcome) {
            return switch (outcome) {
                case ProviderStatus.Completed c -> "COMPLETED(" + (c.processedAmount() == null ? "no amount"
                        : c.processedAmount().toPlainString()) + ")";
                case ProviderStatus.Failed f -> "FAILED(" + f.failureCode() + ")";
            };
        }

        @Override
        public void close() {
            threads.shutdownNow();
            writer.close();
            db.close();
        }
    }

}
