package io.kulipa.providers.simulator;

import io.kulipa.logging.Failures;
import io.kulipa.providers.CustomerApprovals;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated operators' approval requests that move no money (pre-approvals, consents) and
 * their customers' KYC profiles. A request waits on the handset like a deposit prompt: with
 * automatic approval the simulated customer says yes after the approval delay; with manual
 * approval it waits for the PIN and expires after the approval window. Its own loop acts on the
 * requests that fall due, woken at their due time when made here, and polling each second for
 * those another node made; the operators start and stop it with theirs.
 */
public final class SimulatedApprovals implements CustomerApprovals {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedApprovals.class);
    private static final int DUE_BATCH_MAX = 64;
    private static final java.time.Duration IDLE_POLL = java.time.Duration.ofSeconds(1);
    private static final int OPEN_PROMPTS_MAX = 50;
    private static final List<String> GIVEN_FEMALE = List.of("Amina", "Grace", "Chipo", "Akosua", "Nalongo",
            "Fatou", "Aline", "Mwila");
    private static final List<String> GIVEN_MALE = List.of("Kwame", "Juma", "Moses", "Ibrahim", "Tendai",
            "Olivier", "Mulenga", "Kofi");
    private static final List<String> FAMILY = List.of("Mensah", "Okello", "Banda", "Mutesi", "Diallo",
            "Nkurunziza", "Phiri", "Traore", "Achieng", "Mwansa");
    private static final LocalDate OLDEST_BIRTH_DATE = LocalDate.of(1960, 1, 1);
    private static final int BIRTH_DATE_SPAN_DAYS = 40 * 365;
    private static final String DEFAULT_LOCALE = "en_GB";

    private final SimApprovalStore store;
    private final Supplier<SimulatorSettings> settings;
    private final Function<String, Optional<SimWallet>> wallets;
    private final Clock clock;
    private volatile Listener listener = decision -> { };
    private final io.kulipa.outbox.PollingLoop loop = new io.kulipa.outbox.PollingLoop("simulated-approvals", IDLE_POLL,
            this::actOnDue);

    /** @param wallets the operators' wallets, for the handset's PIN and approval mode */
    public SimulatedApprovals(SimApprovalStore store, Supplier<SimulatorSettings> settings,
                              Function<String, Optional<SimWallet>> wallets, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.wallets = wallets;
        this.clock = clock;
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void request(Request r) {
        SimulatorSettings s = settings.get();
        Instant now = clock.instant();
        boolean manual = wallets.apply(r.msisdn()).map(SimWallet::approvalMode).map("manual"::equals)
                .orElse(s.manualApproval());
        Instant due = now.plus(manual ? s.approvalWindow() : s.approvalDelay());
        store.insertIfAbsent(new SimApproval(r.reference(), r.msisdn(), r.kind(), r.description(),
                Status.AWAITING_APPROVAL, manual ? SimTransaction.EXPIRE : SimTransaction.APPROVE,
                due, 0, r.validUntil(), now, null));
        loop.wakeAt(java.time.Duration.between(clock.instant(), due));
    }

    void start() {
        loop.start();
    }

    void close() {
        loop.close();
    }

    @Override
    public Optional<Decision> decision(String reference) {
        return store.find(reference).map(a -> new Decision(a.reference(), a.kind(), a.status()));
    }

    @Override
    public Duration approvalWindow() {
        return settings.get().approvalWindow();
    }

    @Override
    public Profile profile(String msisdn) {
        return store.profile(msisdn).orElseGet(() -> defaultProfile(msisdn));
    }

    /** Sets the profile a number's wallet is registered with. */
    public void profile(Profile profile) {
        store.saveProfile(profile);
    }

    /**
     * The profile of a number nobody set one for: always the same for the same number, so that
     * tests and demos can rely on it, and varied across numbers.
     */
    static Profile defaultProfile(String msisdn) {
        long h = 1125899906842597L;
        for (byte b : msisdn.getBytes(StandardCharsets.US_ASCII)) {
            h = 31 * h + b;
        }
        long seed = Math.abs(h % 1_000_003L);
        boolean female = seed % 2 == 0;
        List<String> given = female ? GIVEN_FEMALE : GIVEN_MALE;
        return new Profile(msisdn, given.get((int) (seed / 2 % given.size())),
                FAMILY.get((int) (seed / 7 % FAMILY.size())), female ? "FEMALE" : "MALE",
                OLDEST_BIRTH_DATE.plusDays(seed % BIRTH_DATE_SPAN_DAYS), DEFAULT_LOCALE);
    }

    /**
     * Records that the customer has just approved on the handset, with the PIN, the one payment
     * this reference will name (paying an invoice): the deposit that follows is covered and does not
     * prompt again. Only the handset calls this, after checking the PIN, so a merchant cannot skip
     * the customer by naming a reference of its own.
     */
    public void approvedOnTheHandset(String reference, String msisdn, String description) {
        Instant now = clock.instant();
        store.insertIfAbsent(new SimApproval(reference, msisdn, Kind.PREAPPROVAL, description, Status.APPROVED,
                SimTransaction.APPROVE, now, 0, now.plus(settings.get().approvalWindow()), now, now));
    }

    /** Whether a payment naming this reference is covered: an approved, unexpired pre-approval of that payer. */
    public boolean covers(String reference, String msisdn) {
        if (reference == null) {
            return false;
        }
        Instant now = clock.instant();
        return store.find(reference).filter(a -> a.kind() == Kind.PREAPPROVAL && a.status() == Status.APPROVED)
                .filter(a -> a.msisdn().equals(msisdn))
                .filter(a -> a.validUntil() == null || now.isBefore(a.validUntil())).isPresent();
    }

    public List<SimApproval> open(String msisdn) {
        return store.open(msisdn, OPEN_PROMPTS_MAX);
    }

    /** Approves or lets expire the requests whose time has come; how many there were. */
    int actOnDue() {
        List<SimApproval> finished = store.inTransaction(books -> {
            List<SimApproval> done = new ArrayList<>();
            for (SimApproval a : books.lockDue(DUE_BATCH_MAX)) {
                Status to = SimTransaction.APPROVE.equals(a.planned()) ? Status.APPROVED : Status.EXPIRED;
                books.finish(a.reference(), to);
                done.add(a.finished(to, clock.instant()));
            }
            return done;
        });
        finished.forEach(this::tell);
        return finished.size();
    }

    SimulatedOperators.HandsetAnswer approve(String msisdn, String reference, String pin) {
        Answered answered = store.inTransaction(books -> {
            Optional<SimApproval> locked = waiting(books, msisdn, reference);
            if (locked.isEmpty()) {
                return new Answered(SimulatedOperators.HandsetAnswer.NO_SUCH_PROMPT, null);
            }
            SimApproval a = locked.get();
            String opening = settings.get().defaultPin();
            boolean right = wallets.apply(msisdn).map(w -> w.pinIs(pin, opening))
                    .orElseGet(() -> SimPin.matches(null, opening, pin));
            if (!right) {
                books.countPinAttempt(reference);
                if (a.pinAttempts() + 1 >= SimulatorSettings.MAX_PIN_ATTEMPTS) {
                    books.finish(reference, Status.REJECTED);
                    return new Answered(SimulatedOperators.HandsetAnswer.PIN_LOCKED,
                            a.finished(Status.REJECTED, clock.instant()));
                }
                return new Answered(SimulatedOperators.HandsetAnswer.WRONG_PIN, null);
            }
            books.finish(reference, Status.APPROVED);
            return new Answered(SimulatedOperators.HandsetAnswer.DONE, a.finished(Status.APPROVED, clock.instant()));
        });
        if (answered.finished() != null) {
            tell(answered.finished());
        }
        return answered.answer();
    }

    private record Answered(SimulatedOperators.HandsetAnswer answer, SimApproval finished) {
    }

    SimulatedOperators.HandsetAnswer reject(String msisdn, String reference) {
        Optional<SimApproval> rejected = store.inTransaction(books -> waiting(books, msisdn, reference).map(a -> {
            books.finish(reference, Status.REJECTED);
            return a.finished(Status.REJECTED, clock.instant());
        }));
        rejected.ifPresent(this::tell);
        return rejected.isPresent() ? SimulatedOperators.HandsetAnswer.DONE
                : SimulatedOperators.HandsetAnswer.NO_SUCH_PROMPT;
    }

    private static Optional<SimApproval> waiting(SimApprovalStore.Books books, String msisdn, String reference) {
        return books.lock(reference).filter(a -> a.msisdn().equals(msisdn) && a.status() == Status.AWAITING_APPROVAL);
    }

    private void tell(SimApproval a) {
        try {
            listener.onDecision(new Decision(a.reference(), a.kind(), a.status()));
        } catch (RuntimeException e) {
            // The core asks again when it is next asked about the request; a lost answer is survivable.
            LOG.warn("telling the core about approval request {} failed: {}", a.reference(), Failures.describe(e));
        }
    }
}
