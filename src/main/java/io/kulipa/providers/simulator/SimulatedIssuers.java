package io.kulipa.providers.simulator;

import io.kulipa.logging.Failures;
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
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's issuing banks, the connector of the card correspondent ({@link #CORRESPONDENT}).
 * A card purchase is an authorisation: the customer's handset is asked for the card's PIN, then
 * the issuer answers with an ISO 8583 response code (from the test card, the expiry, the
 * balance and credit limit), debiting the card account on 00. A refund (a reversal) credits the
 * account back. Outcomes are reported in the core's failure codes; the response code itself is
 * kept with the authorisation ({@link #responseCode}) for dialects that show it.
 */
public final class SimulatedIssuers implements ProviderConnector, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedIssuers.class);
    /** The card correspondent: card purchases in South Africa, in rand. */
    public static final String CORRESPONDENT = "CARD_ZAF";
    public static final String SMS_SENDER = "CARDBANK";
    /** Wrong PINs in a row that lock a card at its issuer. */
    public static final int MAX_PIN_ATTEMPTS = 3;
    private static final int DUE_BATCH_MAX = 64;
    private static final int PROMPTS_MAX = 20;
    /** How late the loop sees authorisations another node made; those made here wake it when due. */
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** The core codes of what is no response code: a time-out and a refusal on the handset. */
    static final String APPROVAL_EXPIRED = "APPROVAL_EXPIRED";
    static final String PAYMENT_NOT_APPROVED = "PAYMENT_NOT_APPROVED";
    static final String PAYER_NOT_FOUND = "PAYER_NOT_FOUND";
    static final String PIN_TRIES_EXCEEDED = "75";
    static final String EXPIRED_CARD = "54";
    static final String NO_FUNDS = "51";
    static final String WRONG_PIN = "55";
    static final String DO_NOT_HONOUR = "05";
    /**
     * A purchase whose cardholder was verified before it was submitted (a wallet's PIN block, a
     * 3-D Secure result) carries the verification's id as its pre-authorisation code: the issuer
     * then decides at once, with no PIN prompt on the handset.
     */
    public static final String VERIFICATION_PREFIX = "CHV-";
    static final String VERIFIED = "VERIFIED";
    static final String DECLINE = "DECLINE:";

    private final IssuerStore store;
    private final SimulatedOperators operators;
    private final CardIssuers data;
    private final Function<String, Optional<IssuerCard>> cardOfPayment;
    private final Clock clock;
    private volatile ProviderConnector.OutcomeListener listener = (reference, outcome) -> { };
    private final PollingLoop loop = new PollingLoop("simulated-issuers", IDLE_POLL, this::actOnDueOnce);

    /**
     * @param operators     the handsets' settings (approval delay and window, manual approval per
     *                      MSISDN), knobs and SMS inbox
     * @param cardOfPayment the card a payment (by Kulipa's reference) is made or refunded with
     */
    public SimulatedIssuers(IssuerStore store, SimulatedOperators operators, CardIssuers data,
                            Function<String, Optional<IssuerCard>> cardOfPayment, Clock clock) {
        this.store = store;
        this.operators = operators;
        this.data = data;
        this.cardOfPayment = cardOfPayment;
        this.clock = clock;
    }

    public void listen(ProviderConnector.OutcomeListener listener) {
        this.listener = listener;
    }

    public CardIssuers data() {
        return data;
    }

    /** Opens a card account at the bank of its BIN unless it exists; false when no bank issues the BIN. */
    public boolean openAccount(IssuerCard card, String pin, BigDecimal balance, BigDecimal creditLimit,
                               String forcedCode) {
        Optional<CardIssuers.Bank> bank = data.bankOf(card.bin());
        if (bank.isEmpty()) {
            return false;
        }
        if (store.account(card.lookupHash()).isPresent()) {
            return true;
        }
        store.openIfAbsent(new SimCardAccount(card.lookupHash(), bank.get().id(), card.bin(), card.last4(),
                card.expiry(), "ZAR", balance, creditLimit, pinHash(pin), 0, false,
                forcedCode == null || forcedCode.isBlank() ? null : forcedCode));
        return true;
    }

    /**
     * The slow hash of a PIN for a new account. The sandbox's published test cards share their
     * PIN, so one hash per PIN and process is reused for them (their salt is shared too, which a
     * published PIN makes harmless); it keeps every start from spending seconds on PBKDF2.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> TEST_PIN_HASHES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Hashes the published test cards' PINs ahead, so that seeding them on a new data directory
     * finds the slow hashes done (Kulipa runs this while the database starts, ADR 20).
     */
    public static void hashTestPins(CardIssuers data) {
        data.testCards().forEach(t -> TEST_PIN_HASHES.computeIfAbsent(t.pin(), SimPin::hash));
    }

    private String pinHash(String pin) {
        boolean published = data.testCards().stream().anyMatch(t -> t.pin().equals(pin));
        return published ? TEST_PIN_HASHES.computeIfAbsent(pin, SimPin::hash) : SimPin.hash(pin);
    }

    public Optional<SimCardAccount> account(String lookupHash) {
        return store.account(lookupHash);
    }

    /**
     * Checks the PIN a wallet sent (decrypted from its PIN block, held only in memory) against the
     * card's account, counting a wrong one towards the lock as a PIN on the handset would; answers
     * the id of the verification a purchase then carries (see {@link #VERIFICATION_PREFIX}).
     */
    public String verifyPin(String lookupHash, String pin) {
        Optional<SimCardAccount> account = store.account(lookupHash);
        boolean right = account.isPresent() && SimPin.matches(account.get().pinHash(), "", pin);
        String code = store.inTransaction(books -> {
            Optional<SimCardAccount> acc = books.lockAccount(lookupHash);
            if (acc.isEmpty()) {
                return "14";
            }
            if (acc.get().locked()) {
                return PIN_TRIES_EXCEEDED;
            }
            if (!right) {
                int wrong = acc.get().wrongPins() + 1;
                books.updateAccount(acc.get().withWrongPins(wrong, wrong >= MAX_PIN_ATTEMPTS));
                return wrong >= MAX_PIN_ATTEMPTS ? PIN_TRIES_EXCEEDED : WRONG_PIN;
            }
            if (acc.get().wrongPins() > 0) {
                books.updateAccount(acc.get().withWrongPins(0, false));
            }
            return CardIssuers.APPROVED;
        });
        return verification(lookupHash, "PIN", code);
    }

    /** Takes a 3-D Secure authentication of the card (its ACS said yes); the id a purchase carries. */
    public String verifySecureCode(String lookupHash) {
        return verification(lookupHash, "3DS", store.account(lookupHash).isPresent() ? CardIssuers.APPROVED : "14");
    }

    private String verification(String lookupHash, String method, String code) {
        String id = VERIFICATION_PREFIX + UUID.randomUUID();
        store.addVerification(id, lookupHash, method, code, clock.instant());
        return id;
    }

    public Optional<CardIssuers.Bank> bankOf(String bin) {
        return data.bankOf(bin);
    }

    @Override
    public SubmitResult submit(ProviderRequest r) {
        if (operators.knobs(r.correspondent()).outage()) {
            return new SubmitResult.Unknown("issuer switch " + r.correspondent() + " did not answer (simulated outage)");
        }
        Optional<IssuerCard> card = cardOfPayment.apply(r.reference());
        if (card.isEmpty()) {
            return new SubmitResult.Rejected(PAYER_NOT_FOUND, "no card is known for this payment");
        }
        Instant now = clock.instant();
        SimulatorSettings s = operators.settings();
        boolean credit = r.operation() != Operation.DEPOSIT;
        boolean manual = operators.wallet(r.msisdn()).map(SimWallet::approvalMode).map("manual"::equals)
                .orElse(s.manualApproval());
        String planned = credit ? SimCardAuthorisation.CREDIT : manual ? SimCardAuthorisation.EXPIRE
                : SimCardAuthorisation.APPROVE;
        Instant due = credit ? now : manual ? now.plus(s.approvalWindow()) : now.plus(s.approvalDelay());
        String verification = r.preAuthorisationCode();
        if (!credit && verification != null && verification.startsWith(VERIFICATION_PREFIX)) {
            String code = store.verification(verification, card.get().lookupHash()).orElse(DO_NOT_HONOUR);
            planned = CardIssuers.APPROVED.equals(code) ? VERIFIED : DECLINE + code;
            due = now;
        }
        String providerRef = store.insertIfAbsent(new SimCardAuthorisation(r.reference(), "AUTH-" + UUID.randomUUID(),
                r.operation().name(), card.get().lookupHash(), card.get().last4(), r.msisdn(), r.amount(), r.currency(),
                r.statementDescription(), SimCardAuthorisation.Status.AWAITING_PIN, planned, null, null, due, now, null));
        loop.wakeAt(Duration.between(clock.instant(), due));
        return new SubmitResult.Accepted(providerRef);
    }

    @Override
    public ProviderStatus query(ProviderRequest request) {
        if (operators.knobs(request.correspondent()).outage()) {
            throw new IllegalStateException("issuer switch " + request.correspondent() + " did not answer (simulated outage)");
        }
        return store.find(request.reference()).map(this::status).orElse(new ProviderStatus.NotFound());
    }

    /** The ISO 8583 response code of a decided authorisation (null for a time-out or refusal). */
    public Optional<String> responseCode(String reference) {
        return store.find(reference).map(SimCardAuthorisation::responseCode);
    }

    public Optional<SimCardAuthorisation> authorisation(String reference) {
        return store.find(reference);
    }

    private ProviderStatus status(SimCardAuthorisation a) {
        Instant at = a.finished() == null ? a.created() : a.finished();
        return switch (a.status()) {
            case AWAITING_PIN -> new ProviderStatus.Pending(a.providerRef());
            case APPROVED -> new ProviderStatus.Completed(a.providerRef(), a.amount(), at,
                    Map.of("AUTH_REF", a.providerRef()));
            default -> new ProviderStatus.Failed(a.providerRef(), a.failureCode(), message(a), at);
        };
    }

    private String message(SimCardAuthorisation a) {
        if (a.responseCode() != null) {
            return data.code(a.responseCode()).map(c -> a.responseCode() + " " + c.meaning()).orElse(a.responseCode());
        }
        return a.status() == SimCardAuthorisation.Status.EXPIRED ? "The customer did not enter the PIN in time"
                : "The customer refused the payment";
    }

    // The customer on the handset.

    /** Authorisations waiting for this handset's PIN. */
    public List<SimCardAuthorisation> prompts(String msisdn) {
        return store.awaiting(msisdn, PROMPTS_MAX);
    }

    /** Enters the card's PIN on the prompt of {@code reference}. */
    public SimulatedOperators.HandsetAnswer enterPin(String msisdn, String reference, String pin) {
        // The hash is slow: read the account first, check outside the lock, then decide under it.
        Optional<SimCardAuthorisation> open = store.find(reference)
                .filter(a -> a.msisdn().equals(msisdn) && a.status() == SimCardAuthorisation.Status.AWAITING_PIN
                        && Operation.DEPOSIT.name().equals(a.operation()) && prompted(a));
        if (open.isEmpty()) {
            return SimulatedOperators.HandsetAnswer.NO_SUCH_PROMPT;
        }
        Optional<SimCardAccount> account = store.account(open.get().lookupHash());
        boolean right = account.isPresent() && SimPin.matches(account.get().pinHash(), "", pin);
        Decided decided = store.inTransaction(books -> {
            Optional<SimCardAuthorisation> locked = books.lock(reference)
                    .filter(a -> a.status() == SimCardAuthorisation.Status.AWAITING_PIN);
            if (locked.isEmpty()) {
                return new Decided(SimulatedOperators.HandsetAnswer.NO_SUCH_PROMPT, null);
            }
            Optional<SimCardAccount> acc = books.lockAccount(locked.get().lookupHash());
            if (acc.isEmpty()) {
                return new Decided(SimulatedOperators.HandsetAnswer.DONE, decline(books, locked.get(), "14"));
            }
            if (!right) {
                int wrong = acc.get().wrongPins() + 1;
                boolean lock = wrong >= MAX_PIN_ATTEMPTS;
                books.updateAccount(acc.get().withWrongPins(wrong, lock || acc.get().locked()));
                if (lock) {
                    return new Decided(SimulatedOperators.HandsetAnswer.PIN_LOCKED,
                            decline(books, locked.get(), PIN_TRIES_EXCEEDED));
                }
                return new Decided(SimulatedOperators.HandsetAnswer.WRONG_PIN, null);
            }
            if (acc.get().wrongPins() > 0 && !acc.get().locked()) {
                books.updateAccount(acc.get().withWrongPins(0, false));
            }
            return new Decided(SimulatedOperators.HandsetAnswer.DONE, authorise(books, locked.get()));
        });
        report(decided.finished());
        return decided.answer();
    }

    /** Refuses the payment on the handset. */
    public SimulatedOperators.HandsetAnswer reject(String msisdn, String reference) {
        Decided decided = store.inTransaction(books -> books.lock(reference)
                .filter(a -> a.msisdn().equals(msisdn) && a.status() == SimCardAuthorisation.Status.AWAITING_PIN
                        && Operation.DEPOSIT.name().equals(a.operation()) && prompted(a))
                .map(a -> {
                    books.finish(a.reference(), SimCardAuthorisation.Status.REJECTED, null, PAYMENT_NOT_APPROVED);
                    return new Decided(SimulatedOperators.HandsetAnswer.DONE, reread(books, a.reference()));
                })
                .orElse(new Decided(SimulatedOperators.HandsetAnswer.NO_SUCH_PROMPT, null)));
        report(decided.finished());
        return decided.answer();
    }

    /** Whether the handset is asked for this authorisation's PIN (not when it was verified before). */
    private static boolean prompted(SimCardAuthorisation a) {
        return SimCardAuthorisation.APPROVE.equals(a.planned()) || SimCardAuthorisation.EXPIRE.equals(a.planned());
    }

    private record Decided(SimulatedOperators.HandsetAnswer answer, SimCardAuthorisation finished) {
    }

    // The issuer acting by itself.

    public void start() {
        // The issuers live in the gateway's process: the callbacks in flight when a process died
        // died with it and are not resent. Their payments' status checks come now instead.
        int hurried = store.checkNowWhereCallbacksDied();
        if (hurried > 0) {
            LOG.info("{} simulated card callback(s) died with an earlier process; their payments' status checks are due now",
                    hurried);
        }
        loop.start();
    }

    private int actOnDueOnce() {
        List<SimCardAuthorisation> finished = store.inTransaction(books -> books.lockDue(DUE_BATCH_MAX).stream()
                .map(a -> switch (a.planned()) {
                    case SimCardAuthorisation.APPROVE -> authorise(books, a);
                    case SimCardAuthorisation.CREDIT -> credit(books, a);
                    case VERIFIED -> authorise(books, a);
                    case String p when p.startsWith(DECLINE) -> decline(books, a, p.substring(DECLINE.length()));
                    default -> {
                        books.finish(a.reference(), SimCardAuthorisation.Status.EXPIRED, null, APPROVAL_EXPIRED);
                        yield reread(books, a.reference());
                    }
                }).toList());
        finished.forEach(this::report);
        return finished.size();
    }

    /** The issuer's decision on a purchase whose PIN was right (or entered by auto-approval). */
    private SimCardAuthorisation authorise(IssuerStore.Books books, SimCardAuthorisation a) {
        Optional<SimCardAccount> found = books.lockAccount(a.lookupHash());
        if (found.isEmpty()) {
            return decline(books, a, "14");
        }
        SimCardAccount acc = found.get();
        if (acc.locked()) {
            return decline(books, a, PIN_TRIES_EXCEEDED);
        }
        if (acc.expiry().isBefore(YearMonth.now(clock))) {
            return decline(books, a, EXPIRED_CARD);
        }
        if (acc.forcedCode() != null && !acc.forcedCode().equals(CardIssuers.APPROVED)) {
            return decline(books, a, acc.forcedCode());
        }
        if (acc.available().compareTo(a.amount()) < 0) {
            return decline(books, a, NO_FUNDS);
        }
        BigDecimal balance = acc.balance().subtract(a.amount());
        books.updateAccount(acc.withBalance(balance));
        books.finish(a.reference(), SimCardAuthorisation.Status.APPROVED, CardIssuers.APPROVED, null);
        sms(a.msisdn(), "Card ****" + a.last4() + " paid " + money(a.amount()) + " " + a.currency()
                + (a.description() == null ? "" : " to " + a.description()) + ". Auth " + a.providerRef()
                + ". Available " + money(acc.withBalance(balance).available()) + " " + acc.currency() + ".");
        return reread(books, a.reference());
    }

    /** A reversal or refund: the money goes back to the card account. */
    private SimCardAuthorisation credit(IssuerStore.Books books, SimCardAuthorisation a) {
        Optional<SimCardAccount> found = books.lockAccount(a.lookupHash());
        if (found.isEmpty()) {
            return decline(books, a, "14");
        }
        books.updateAccount(found.get().withBalance(found.get().balance().add(a.amount())));
        books.finish(a.reference(), SimCardAuthorisation.Status.APPROVED, CardIssuers.APPROVED, null);
        sms(a.msisdn(), "Card ****" + a.last4() + ": " + money(a.amount()) + " " + a.currency()
                + " returned" + (a.description() == null ? "" : " by " + a.description()) + ". Ref "
                + a.providerRef() + ".");
        return reread(books, a.reference());
    }

    private SimCardAuthorisation decline(IssuerStore.Books books, SimCardAuthorisation a, String code) {
        String core = data.code(code).map(CardIssuers.ResponseCode::coreCode).filter(c -> !c.isEmpty())
                .orElse("OTHER_ERROR");
        books.finish(a.reference(), SimCardAuthorisation.Status.DECLINED, code, core);
        if (Operation.DEPOSIT.name().equals(a.operation())) {
            sms(a.msisdn(), "Card ****" + a.last4() + ": payment of " + money(a.amount()) + " " + a.currency()
                    + " declined (" + data.code(code).map(CardIssuers.ResponseCode::meaning).orElse(code) + ").");
        }
        return reread(books, a.reference());
    }

    private static SimCardAuthorisation reread(IssuerStore.Books books, String reference) {
        return books.lock(reference).orElseThrow();
    }

    /** An amount as a receipt shows it: at least the two decimals of rand and cents. */
    static String money(BigDecimal v) {
        BigDecimal stripped = v.stripTrailingZeros();
        return (stripped.scale() < 2 ? stripped.setScale(2) : stripped).toPlainString();
    }

    private void sms(String msisdn, String text) {
        try {
            operators.sms(msisdn, SMS_SENDER, text);
        } catch (RuntimeException e) {
            LOG.warn("could not send a card SMS: {}", Failures.describe(e));
        }
    }

    private void report(SimCardAuthorisation a) {
        if (a == null || !a.status().isFinal()) {
            return;
        }
        if (operators.knobs(CORRESPONDENT).loseCallbacks()) {
            try {
                store.markCallbackLost(a.reference());
            } catch (RuntimeException e) {
                LOG.warn("could not mark card authorisation {}'s callback as lost: {}", a.providerRef(),
                        Failures.describe(e));
            }
            return;
        }
        try {
            listener.onOutcome(a.reference(), (ProviderStatus.Final) status(a));
        } catch (RuntimeException e) {
            LOG.warn("callback for card authorisation {} failed: {}", a.providerRef(), Failures.describe(e));
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
