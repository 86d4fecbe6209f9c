package io.kulipa.providers.simulator;

import io.kulipa.logging.Failures;
import io.kulipa.money.Amount;
import io.kulipa.outbox.PollingLoop;
import io.kulipa.providers.Operation;
import io.kulipa.providers.ProviderConnector;
import io.kulipa.providers.ProviderRequest;
import io.kulipa.providers.ProviderStatus;
import io.kulipa.providers.SubmitResult;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's mobile network operators, behind the same connector interface as a real one.
 * They keep their own books (wallets, transactions, SMS) in the database, push PIN prompts to
 * virtual handsets, follow the test-number table, and call back when a payment is final.
 */
public final class SimulatedOperators implements ProviderConnector, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedOperators.class);
    private static final int DUE_BATCH_MAX = 64;
    /** Wallets converted from a clear PIN per transaction at start, and at most this many batches. */
    private static final int CLEAR_PIN_BATCH_ROWS = 100;
    private static final int CLEAR_PIN_BATCHES_MAX = 100;
    /**
     * How late the loop sees work booked by another node (issue 14: it polled every 50 ms, idle or
     * not); work booked here wakes it when due ({@link PollingLoop#wakeAt}).
     */
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final String SENDER = "MoMo";
    private static final int CALLBACKS_IN_FLIGHT_MAX = 64;
    private final java.util.concurrent.Semaphore callbackPermits =
            new java.util.concurrent.Semaphore(CALLBACKS_IN_FLIGHT_MAX);

    /*
     * The failure codes the simulated operators report by themselves: names of the core's
     * FailureCode, which this package may not import (providers know nothing of payments);
     * SimulatorSpeaksCoreCodesTest holds them, and the scenario tables, to that list.
     */
    static final String APPROVAL_EXPIRED = "APPROVAL_EXPIRED";
    static final String PAYMENT_NOT_APPROVED = "PAYMENT_NOT_APPROVED";
    static final String INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE";
    static final String PAYER_NOT_FOUND = "PAYER_NOT_FOUND";

    /** What a handset action achieved. */
    public enum HandsetAnswer { DONE, NO_SUCH_PROMPT, WRONG_PIN, PIN_LOCKED, NO_SUCH_ACCOUNT }

    /** The account number that stands for the customer's wallet, the primary account, on a prompt. */
    public static final String PRIMARY_ACCOUNT = "primary";

    private final SimulatorStore store;
    private final Scenarios scenarios;
    private final Clock clock;
    private volatile SimulatorSettings settings;
    private volatile OutcomeListener listener = (reference, outcome) -> { };
    private final PollingLoop loop = new PollingLoop("simulated-operators", IDLE_POLL, this::actOnDueOnce);
    private final SimulatedApprovals approvals;
    /** Writers of the submits booked together: one transaction for the submits of a moment (ADR 20). */
    private static final int BOOKING_WRITERS = 2;
    private io.kulipa.outbox.GroupCommit<SimulatorStore.Booking, SimulatorStore.Booked> bookings;
    private boolean closed;

    public SimulatedOperators(SimulatorStore store, SimApprovalStore approvalStore, Scenarios scenarios,
                              SimulatorSettings settings, Clock clock) {
        this.store = store;
        this.approvals = new SimulatedApprovals(approvalStore, this::settings, store::wallet, clock);
        this.scenarios = scenarios;
        this.settings = settings;
        this.clock = clock;
    }

    public void listen(OutcomeListener listener) {
        this.listener = listener;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** The approval requests that move no money (pre-approvals, consents) on the same handsets. */
    public SimulatedApprovals approvals() {
        return approvals;
    }

    public void settings(SimulatorSettings settings) {
        this.settings = settings;
    }

    /** Failure knobs of one simulated operator (a correspondent). */
    public record Knobs(boolean outage, boolean loseCallbacks) {
        static final Knobs NONE = new Knobs(false, false);
    }

    /**
     * How often a node reads the knobs every node shares (sim_operator_knobs): the bound on how
     * long a knob set through another node takes to act here.
     */
    public static final Duration KNOBS_REFRESH = Duration.ofSeconds(1);

    private volatile Map<String, Knobs> knobs = Map.of();
    private volatile long knobsReadAt = System.nanoTime() - KNOBS_REFRESH.toNanos();

    /** Sets an operator's knobs, for every node: an outage makes it unreachable; lost callbacks finish payments silently. */
    public void knobs(String correspondent, Knobs value) {
        store.knobs(correspondent, value);
        refreshKnobs();
    }

    /** Reads the shared knobs; while the database cannot be read, the ones read last stay. */
    public void refreshKnobs() {
        try {
            knobs = Map.copyOf(store.knobs());
        } catch (RuntimeException e) {
            LOG.debug("cannot read the operators' knobs; keeping the last ones read: {}", Failures.describe(e));
        }
        knobsReadAt = System.nanoTime();
    }

    /**
     * How an operator words the SMS receipt of a deposit its customer paid: its own sender and
     * text. An operator without one sends the simulator's generic receipt.
     */
    public interface Receipt {
        /** The receipt of {@code t}, paid at {@code at}; empty for the generic one. */
        Optional<Message> paid(SimTransaction t, Instant at);

        record Message(String sender, String text) {
        }
    }

    private final Map<String, Receipt> receipts = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The accounts customers of an operator hold besides the wallet (their primary account), and
     * which prompts let them choose the account to pay from.
     */
    public interface CustomerAccounts {
        /** The accounts a customer opens with, on first sight, beside the wallet. */
        List<SimAccount> opening(String msisdn, String currency);

        /** Whether the prompt of {@code t} lets the customer choose (else it debits the wallet). */
        boolean choosable(SimTransaction t);
    }

    private final Map<String, CustomerAccounts> customerAccounts = new java.util.concurrent.ConcurrentHashMap<>();

    /** Gives an operator's customers accounts to choose from on some prompts (Equitel's STK push). */
    public void customerAccounts(String correspondent, CustomerAccounts accounts) {
        customerAccounts.put(correspondent, accounts);
    }

    /**
     * The accounts a prompt offers, the wallet first as {@link #PRIMARY_ACCOUNT}; empty when the
     * prompt debits the wallet without a choice.
     */
    public List<SimAccount> choices(SimTransaction t) {
        CustomerAccounts accounts = customerAccounts.get(t.correspondent());
        if (accounts == null || !accounts.choosable(t)) {
            return List.of();
        }
        return store.inTransaction(books -> {
            SimulatorSettings s = settings;
            SimWallet w = books.lockWallet(t.msisdn(), t.currency(), s.openingBalance());
            List<SimAccount> all = new ArrayList<>();
            all.add(new SimAccount(t.msisdn(), PRIMARY_ACCOUNT, "Primary account", w.currency(), w.balance()));
            all.addAll(books.lockAccounts(t.msisdn(), accounts.opening(t.msisdn(), t.currency())));
            return all;
        });
    }

    /** Makes a correspondent's operator send its own receipts (Equitel's from sender JENGA). */
    public void receipts(String correspondent, Receipt receipt) {
        receipts.put(correspondent, receipt);
    }

    public Knobs knobs(String correspondent) {
        return knobs.getOrDefault(correspondent, Knobs.NONE);
    }

    /** Whether the operator answers at all (the availability monitor's probe). */
    public boolean healthy(String correspondent) {
        return !knobs(correspondent).outage();
    }

    @Override
    public SubmitResult submit(ProviderRequest r) {
        if (knobs(r.correspondent()).outage()) {
            return new SubmitResult.Unknown("operator " + r.correspondent() + " did not answer (simulated outage)");
        }
        Instant now = clock.instant();
        SimulatorSettings s = settings;
        Optional<Scenarios.Scenario> scenario = scenarios.find(r.operation(), r.msisdn());
        SimTransaction.Status status = SimTransaction.Status.PROCESSING;
        String planned;
        Instant due = now.plus(s.approvalDelay());
        boolean byWallet = false;
        if (scenario.isPresent()) {
            planned = scenario.get().outcome();
        } else if (r.operation() == Operation.DEPOSIT && approvals.covers(r.preAuthorisationCode(), r.msisdn())) {
            // The customer approved in advance (a pre-approval, or an invoice paid with the PIN on
            // the handset): no prompt, settle now.
            planned = SimTransaction.APPROVE;
            due = now;
        } else if (r.operation() == Operation.DEPOSIT) {
            // The customer's wallet decides between this and a manual prompt when it is booked.
            status = SimTransaction.Status.AWAITING_APPROVAL;
            planned = SimTransaction.APPROVE;
            byWallet = true;
        } else {
            planned = SimTransaction.CREDIT;
        }
        SimTransaction t = new SimTransaction(r.reference(), "SIM-" + UUID.randomUUID(), r.operation().name(),
                r.correspondent(), r.msisdn(), r.amount(), r.currency(), r.statementDescription(), status, planned,
                null, due, 0, !knobs(r.correspondent()).loseCallbacks(), now, null);
        // Idempotent by reference: a repeated submit answers the operator reference of the first.
        // Submits arriving together are booked in one transaction; each answer waits for its commit.
        SimulatorStore.Booked booked = bookings().write(byWallet ? new SimulatorStore.Booking(t, true,
                s.manualApproval(), SimTransaction.EXPIRE, now.plus(s.approvalWindow())) : SimulatorStore.Booking.as(t));
        loop.wakeAt(Duration.between(clock.instant(), booked.dueAt()));
        return new SubmitResult.Accepted(booked.providerRef());
    }

    @Override
    public ProviderStatus query(ProviderRequest request) {
        if (knobs(request.correspondent()).outage()) {
            throw new IllegalStateException("operator " + request.correspondent() + " did not answer (simulated outage)");
        }
        Optional<SimTransaction> known = store.find(request.reference());
        return known.map(SimulatedOperators::status).orElse(new ProviderStatus.NotFound());
    }

    private static ProviderStatus status(SimTransaction t) {
        Instant at = t.finished() == null ? t.created() : t.finished();
        return switch (t.status()) {
            case COMPLETED -> new ProviderStatus.Completed(t.providerRef(), t.amount(), at,
                    Map.of("SIM_REF", t.providerRef()));
            case FAILED -> new ProviderStatus.Failed(t.providerRef(), t.failureCode(), message(t.failureCode()), at);
            default -> new ProviderStatus.Pending(t.providerRef());
        };
    }

    /** The operator's SMS to its customer: it lands in the virtual handset's inbox. */
    @Override
    public boolean notifyCustomer(String correspondent, String msisdn, String text) {
        if (knobs(correspondent).outage()) {
            return false;
        }
        store.inTransaction(books -> {
            books.sms(msisdn, SENDER, text);
            return null;
        });
        return true;
    }

    /** An SMS to a handset's inbox from {@code sender} (the card issuers' receipts). */
    public void sms(String msisdn, String sender, String text) {
        store.inTransaction(books -> {
            books.sms(msisdn, sender, text);
            return null;
        });
    }

    // The operator acting by itself.

    public void start() {
        // Wallets of before V14 keep their PIN in clear until converted; convert them before any
        // customer acts. What a bounded number of batches leaves is converted when first read.
        for (int batch = 0; batch < CLEAR_PIN_BATCHES_MAX
                && store.hashClearPins(settings.defaultPin(), CLEAR_PIN_BATCH_ROWS) == CLEAR_PIN_BATCH_ROWS; batch++) {
            LOG.info("hashed a batch of clear sandbox PINs");
        }
        // This operator lives in the gateway's process: the callbacks in flight when a process died
        // died with it, and it does not resend them. Their payments' status checks come now instead.
        int hurried = store.checkNowWhereCallbacksDied();
        if (hurried > 0) {
            LOG.info("{} simulated callback(s) died with an earlier process; their payments' status checks are due now",
                    hurried);
        }
        loop.start();
        approvals.start();
    }

    /** One pass: due operator transactions, then due approval prompts; answers how many it decided. */
    private int actOnDueOnce() {
        if (System.nanoTime() - knobsReadAt >= KNOBS_REFRESH.toNanos()) {
            refreshKnobs();
            loop.wakeAt(KNOBS_REFRESH);
        }
        List<SimTransaction> finished = store.inTransaction(this::actOnDue);
        finished.forEach(this::callBackConcurrently);
        return finished.size();
    }

    private List<SimTransaction> actOnDue(SimulatorStore.Books books) {
        List<SimTransaction> due = books.lockDue(DUE_BATCH_MAX);
        // The wallets the settlements will debit or credit, locked in one round trip (issue 14).
        java.util.SequencedMap<String, String> wallets = new java.util.LinkedHashMap<>();
        for (SimTransaction t : due) {
            if (settlesAWallet(t)) {
                wallets.putIfAbsent(t.msisdn(), t.currency());
            }
        }
        if (!wallets.isEmpty()) {
            books.lockWallets(wallets, settings.openingBalance());
        }
        List<SimTransaction> finished = new ArrayList<>();
        for (SimTransaction t : due) {
            finished.add(act(books, t));
        }
        return finished;
    }

    /** Whether {@link #act} settles {@code t} against the customer's wallet. */
    private static boolean settlesAWallet(SimTransaction t) {
        return switch (t.planned()) {
            case SimTransaction.APPROVE, SimTransaction.CREDIT, Scenarios.COMPLETED -> true;
            default -> false;
        };
    }

    private SimTransaction act(SimulatorStore.Books books, SimTransaction t) {
        if (settlesAWallet(t)) {
            // A test number listed as completing completes whatever its wallet holds.
            return settle(books, t, Scenarios.COMPLETED.equals(t.planned()));
        }
        return switch (t.planned()) {
            // The approval window ran out: not a refusal by the customer, so a code of its own.
            case SimTransaction.EXPIRE -> fail(books, t, APPROVAL_EXPIRED);
            case Scenarios.NO_CALLBACK -> {
                books.finish(t.reference(), SimTransaction.Status.STUCK, null);
                yield withStatus(t, SimTransaction.Status.STUCK, null);
            }
            default -> fail(books, t, t.planned());
        };
    }

    /**
     * Debits the account the customer chose on the prompt instead of the wallet, or fails the
     * deposit when that account cannot pay; null when the prompt offers no such account.
     */
    private SimTransaction settleFrom(SimulatorStore.Books books, SimTransaction t, String number) {
        CustomerAccounts accounts = customerAccounts.get(t.correspondent());
        if (accounts == null || !accounts.choosable(t)) {
            return null;
        }
        Optional<SimAccount> chosen = books.lockAccounts(t.msisdn(), accounts.opening(t.msisdn(), t.currency()))
                .stream().filter(a -> a.number().equals(number)).findFirst();
        if (chosen.isEmpty()) {
            return null;
        }
        BigDecimal balance = chosen.get().balance().subtract(t.amount());
        if (balance.signum() < 0) {
            return fail(books, t, "INSUFFICIENT_BALANCE");
        }
        books.updateAccount(chosen.get().withBalance(balance));
        books.finish(t.reference(), SimTransaction.Status.COMPLETED, null);
        receipt(books, t, balance, chosen.get().currency());
        return withStatus(t, SimTransaction.Status.COMPLETED, null);
    }

    /** Moves the money in the customer's wallet, or fails when a deposit cannot be paid. */
    private SimTransaction settle(SimulatorStore.Books books, SimTransaction t, boolean alwaysCompletes) {
        SimulatorSettings s = settings;
        SimWallet w = books.lockWallet(t.msisdn(), t.currency(), s.openingBalance());
        boolean debit = Operation.DEPOSIT.name().equals(t.operation());
        BigDecimal balance = debit ? w.balance().subtract(t.amount()) : w.balance().add(t.amount());
        if (balance.signum() < 0) {
            if (!alwaysCompletes) {
                return fail(books, t, INSUFFICIENT_BALANCE);
            }
            balance = w.balance();
        }
        books.updateWallet(new SimWallet(w.msisdn(), w.currency(), balance, w.pinHash(), w.approvalMode()));
        books.finish(t.reference(), SimTransaction.Status.COMPLETED, null);
        receipt(books, t, balance, w.currency());
        return withStatus(t, SimTransaction.Status.COMPLETED, null);
    }

    /** The SMS of a settled transaction: the operator's own receipt of a deposit, or the generic one. */
    private void receipt(SimulatorStore.Books books, SimTransaction t, BigDecimal balance, String currency) {
        boolean debit = Operation.DEPOSIT.name().equals(t.operation());
        Optional<Receipt.Message> own = debit ? Optional.ofNullable(receipts.get(t.correspondent()))
                .flatMap(r -> r.paid(t, clock.instant())) : Optional.empty();
        if (own.isPresent()) {
            books.sms(t.msisdn(), own.get().sender(), own.get().text());
            return;
        }
        String amount = Amount.plain(t.amount()) + " " + t.currency();
        books.sms(t.msisdn(), SENDER, (debit ? "You have paid " + amount + (t.description() == null ? ""
                : " for " + t.description()) : "You have received " + amount)
                + ". Ref " + t.providerRef() + ". New balance " + Amount.plain(balance) + " " + currency + ".");
    }

    private SimTransaction fail(SimulatorStore.Books books, SimTransaction t, String code) {
        books.finish(t.reference(), SimTransaction.Status.FAILED, code);
        if (Operation.DEPOSIT.name().equals(t.operation()) && !PAYER_NOT_FOUND.equals(code)) {
            books.sms(t.msisdn(), SENDER, "Payment of " + Amount.plain(t.amount()) + " " + t.currency()
                    + " was not completed: " + message(code) + ". Ref " + t.providerRef() + ".");
        }
        return withStatus(t, SimTransaction.Status.FAILED, code);
    }

    private SimTransaction withStatus(SimTransaction t, SimTransaction.Status status, String code) {
        return new SimTransaction(t.reference(), t.providerRef(), t.operation(), t.correspondent(), t.msisdn(),
                t.amount(), t.currency(), t.description(), status, t.planned(), code, t.dueAt(), t.pinAttempts(),
                t.sendCallback(), t.created(), clock.instant());
    }

    /**
     * Operators call back many payments at once; so does the simulator, at most
     * {@link #CALLBACKS_IN_FLIGHT_MAX} at a time, so that a slow core does not slow settling.
     */
    private void callBackConcurrently(SimTransaction t) {
        if (!t.status().isFinal() || !t.sendCallback()) {
            return;
        }
        callbackPermits.acquireUninterruptibly();
        Thread.ofVirtual().name("sim-callback").start(() -> {
            try {
                callBack(t);
            } finally {
                callbackPermits.release();
            }
        });
    }

    private void callBack(SimTransaction t) {
        if (!t.status().isFinal() || !t.sendCallback()) {
            return;
        }
        try {
            listener.onOutcome(t.reference(), (ProviderStatus.Final) status(t));
        } catch (RuntimeException e) {
            // The core asks again by itself; a lost callback is one of the things it must survive.
            LOG.warn("callback for simulated transaction {} failed: {}", t.providerRef(), Failures.describe(e));
        }
    }

    // The customer acting on the virtual handset.

    public HandsetAnswer approve(String msisdn, String reference, String pin) {
        return approve(msisdn, reference, pin, null);
    }

    /**
     * Approves a prompt with the PIN, paying from {@code account} when the prompt offers a choice
     * (null or {@link #PRIMARY_ACCOUNT}: the wallet). An account the prompt does not offer leaves
     * the prompt open.
     */
    public HandsetAnswer approve(String msisdn, String reference, String pin, String account) {
        Answered answered = store.inTransaction(books -> {
            Optional<SimTransaction> locked = books.lock(reference)
                    .filter(t -> t.msisdn().equals(msisdn) && t.status() == SimTransaction.Status.AWAITING_APPROVAL);
            if (locked.isEmpty()) {
                return new Answered(HandsetAnswer.NO_SUCH_PROMPT, null);
            }
            SimTransaction t = locked.get();
            SimulatorSettings s = settings;
            SimWallet w = books.lockWallet(msisdn, t.currency(), s.openingBalance());
            // The hash is slow by design; the wallet row stays locked meanwhile, as an operator's would.
            if (!w.pinIs(pin, s.defaultPin())) {
                books.countPinAttempt(reference);
                if (t.pinAttempts() + 1 >= SimulatorSettings.MAX_PIN_ATTEMPTS) {
                    return new Answered(HandsetAnswer.PIN_LOCKED, fail(books, t, PAYMENT_NOT_APPROVED));
                }
                return new Answered(HandsetAnswer.WRONG_PIN, null);
            }
            if (account == null || account.equals(PRIMARY_ACCOUNT)) {
                return new Answered(HandsetAnswer.DONE, settle(books, t, false));
            }
            SimTransaction paid = settleFrom(books, t, account);
            return paid == null ? new Answered(HandsetAnswer.NO_SUCH_ACCOUNT, null) : new Answered(HandsetAnswer.DONE, paid);
        });
        if (answered.finished() != null) {
            callBack(answered.finished());
        }
        return answered.answer() == HandsetAnswer.NO_SUCH_PROMPT ? approvals.approve(msisdn, reference, pin)
                : answered.answer();
    }

    public HandsetAnswer reject(String msisdn, String reference) {
        Answered answered = store.inTransaction(books -> books.lock(reference)
                .filter(t -> t.msisdn().equals(msisdn) && t.status() == SimTransaction.Status.AWAITING_APPROVAL)
                .map(t -> new Answered(HandsetAnswer.DONE, fail(books, t, PAYMENT_NOT_APPROVED)))
                .orElse(new Answered(HandsetAnswer.NO_SUCH_PROMPT, null)));
        if (answered.finished() != null) {
            callBack(answered.finished());
        }
        return answered.answer() == HandsetAnswer.NO_SUCH_PROMPT ? approvals.reject(msisdn, reference)
                : answered.answer();
    }

    private record Answered(HandsetAnswer answer, SimTransaction finished) {
    }

    public List<SimTransaction> prompts(String msisdn) {
        return store.open(msisdn, 50).stream()
                .filter(t -> t.status() == SimTransaction.Status.AWAITING_APPROVAL).toList();
    }

    public List<Sms> inbox(String msisdn) {
        return store.inbox(msisdn, 100);
    }

    /**
     * Whether the customer ended the prompt of {@code reference} with too many wrong PINs, which
     * the core records as not approved, as it does a refusal; a dialect may word them apart.
     */
    public boolean lockedByWrongPins(String reference) {
        return store.find(reference).filter(t -> t.pinAttempts() >= SimulatorSettings.MAX_PIN_ATTEMPTS).isPresent();
    }

    /** The customer's accounts besides the wallet, as opened on a prompt that offered them. */
    public List<SimAccount> accounts(String msisdn) {
        return store.accounts(msisdn);
    }

    public Optional<SimWallet> wallet(String msisdn) {
        return store.wallet(msisdn);
    }

    /** Sets a handset's wallet: balance, PIN and approval mode; nulls keep what is there. */
    public SimWallet configure(String msisdn, String currency, BigDecimal balance, String pin, String approvalMode) {
        // Hashed before the wallet is locked: the hash takes a while, and only the PIN is needed for it.
        String pinHash = pin == null ? null : SimPin.hash(pin);
        return store.inTransaction(books -> {
            SimulatorSettings s = settings;
            SimWallet w = books.lockWallet(msisdn, currency, s.openingBalance());
            SimWallet updated = new SimWallet(msisdn, w.currency(), balance == null ? w.balance() : balance,
                    pinHash == null ? w.pinHash() : pinHash, approvalMode == null ? w.approvalMode()
                    : "default".equals(approvalMode) ? null : approvalMode);
            books.updateWallet(updated);
            return updated;
        });
    }

    static String message(String code) {
        if (code == null) {
            return "failed";
        }
        return switch (code) {
            case "PAYER_LIMIT_REACHED" -> "The payer has reached a limit on their wallet";
            case "PAYER_NOT_FOUND" -> "The payer's number is not registered with this operator";
            case "PAYMENT_NOT_APPROVED" -> "The payer did not approve the payment";
            case "APPROVAL_EXPIRED" -> "The payer did not approve the payment in time";
            case "INSUFFICIENT_BALANCE" -> "The payer does not have enough funds";
            case "TRANSACTION_ALREADY_IN_PROCESS" -> "The payer has another transaction in process";
            case "RECIPIENT_NOT_FOUND" -> "The recipient's number is not registered with this operator";
            case "RECIPIENT_NOT_ALLOWED_TO_RECEIVE" -> "The recipient is not allowed to receive this payment";
            case "RECIPIENT_LIMIT_REACHED" -> "The recipient has reached a limit on their wallet";
            default -> "The operator could not process the payment";
        };
    }

    private synchronized io.kulipa.outbox.GroupCommit<SimulatorStore.Booking, SimulatorStore.Booked> bookings() {
        if (closed) {
            throw new IllegalStateException("the simulated operators are stopped");
        }
        if (bookings == null) {
            bookings = new io.kulipa.outbox.GroupCommit<>("sim-submit", store::bookAll, BOOKING_WRITERS);
        }
        return bookings;
    }

    @Override
    public void close() {
        loop.close();
        approvals.close();
        synchronized (this) {
            closed = true;
            if (bookings != null) {
                bookings.close();
            }
        }
    }
}
