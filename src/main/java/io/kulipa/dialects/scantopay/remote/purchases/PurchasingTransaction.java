package io.kulipa.dialects.scantopay.remote.purchases;

import io.kulipa.cards.Card;
import io.kulipa.cards.CardVault;
import io.kulipa.cards.InitiatingCardPayment;
import io.kulipa.dialects.scantopay.CodeStore;
import io.kulipa.dialects.scantopay.remote.cards.CardData;
import io.kulipa.dialects.scantopay.remote.cards.CardRequirements;
import io.kulipa.dialects.scantopay.remote.cards.ValidatingCardData;
import io.kulipa.dialects.scantopay.remote.pins.ReadingPinData;
import io.kulipa.dialects.scantopay.remote.secure.CheckingSecureCode;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.Secrets;
import io.kulipa.providers.simulator.SimulatedIssuers;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The Remote API's purchase ({@code purchaseTx}) of a looked-up transaction with a card the
 * wallet sends (or one linked to the wallet profile) and exactly one authentication: a PIN block
 * the issuer checks, or a 3-D Secure result. Checks first what has no effect (the lookup, the
 * card data, the block), then claims the transaction for this card so that parallel retries make
 * one payment, then verifies the cardholder at the issuer and starts one core card deposit whose
 * client id is the transactionId. The same transactionId with the same card answers that
 * purchase again; with another card it is refused.
 */
public final class PurchasingTransaction {

    /** A claim older than this belongs to a request that died; the same card may take it over. */
    public static final Duration CLAIM_STALE_AFTER = Duration.ofSeconds(15);
    /** How long a parallel retry waits for the request that holds the claim. */
    public static final Duration BUSY_WAIT = Duration.ofSeconds(5);
    public static final Duration BUSY_POLL = Duration.ofMillis(50);
    /** The sandbox opens an account for a card its bank has not seen, with this PIN and balance. */
    public static final String SANDBOX_PIN = "1234";
    public static final BigDecimal SANDBOX_BALANCE = new BigDecimal("1000.00");
    static final int STATEMENT_CHARS_MAX = 100;

    /** The one authentication block of a purchase. */
    public sealed interface Auth {
        record Pin(String encryptedData) implements Auth {
        }

        record SecureCodeBasic(String secureCodeId, String paRes) implements Auth {
        }

        /** A wallet's own ACS result; {@code paresStatus} Y (authenticated) or A (attempted) passes. */
        record SecureCodeData(String cavv, String xid, String eciFlag, String errorNo, String paresStatus,
                              String signatureVerification) implements Auth {
        }
    }

    /** The device's position, when the wallet sent it. */
    public record Device(BigDecimal latitude, BigDecimal longitude) {
    }

    /**
     * @param card     the card's details, or null when {@code cardId} names a card linked to the wallet
     * @param amount   only for a code that leaves the amount to the customer
     * @param webhook  the URL told the final answer (checked by the caller), or null to poll only
     */
    public record Purchase(UUID brandId, String msisdn, String transactionId, String value, Amount amount,
                           CardData card, UUID cardId, Auth auth, String webhook, Device device) {
    }

    public sealed interface Result {
        record Bought(Payment payment) implements Result {
        }

        /** Another request with the same card holds the purchase; the wallet polls transactionState. */
        record InProgress(String transactionId) implements Result {
        }

        /** 400 naming the field. */
        record BadRequest(String message) implements Result {
        }

        /** 200 ERROR. */
        record Refused(String message) implements Result {
        }
    }

    private final RemoteTransactionStore store;
    private final CodeStore codes;
    private final MerchantStore merchants;
    private final PaymentStore payments;
    private final InitiatingCardPayment cardPayments;
    private final SimulatedIssuers issuers;
    private final ValidatingCardData validating;
    private final ReadingPinData pins;
    private final CheckingSecureCode secureCodes;
    private final CheckingDevice devices;
    private final boolean sandbox;
    private final Clock clock;

    public PurchasingTransaction(RemoteTransactionStore store, CodeStore codes, MerchantStore merchants,
                                 PaymentStore payments, InitiatingCardPayment cardPayments, SimulatedIssuers issuers,
                                 ValidatingCardData validating, ReadingPinData pins, CheckingSecureCode secureCodes,
                                 CheckingDevice devices, boolean sandbox, Clock clock) {
        this.store = store;
        this.codes = codes;
        this.merchants = merchants;
        this.payments = payments;
        this.cardPayments = cardPayments;
        this.issuers = issuers;
        this.validating = validating;
        this.pins = pins;
        this.secureCodes = secureCodes;
        this.devices = devices;
        this.sandbox = sandbox;
        this.clock = clock;
    }

    /** Whose cards the vault keeps for a wallet profile: the brand's, never the MSISDN's USSD cards. */
    public static String walletOwner(UUID brandId, String msisdn) {
        return "wallet:" + brandId + ":" + msisdn;
    }

    private CardVault vault() {
        return cardPayments.vault();
    }

    public Result purchase(Purchase p) {
        if (!vault().available()) {
            return new Result.Refused("pan: card purchases are not available on this gateway (it has no card key)");
        }
        Optional<RemoteTransaction> found = store.find(p.transactionId())
                .filter(t -> t.brandId().equals(p.brandId()) && t.msisdn().equals(p.msisdn()));
        if (found.isEmpty()) {
            return new Result.Refused("transactionId: no lookup of this wallet and MSISDN has this id; call "
                    + "generateTransactionId first");
        }
        RemoteTransaction t = found.get();
        if (t.status() == RemoteTransaction.Status.NEED_INPUT) {
            return new Result.Refused("transactionId: the lookup still needs inputs (" + String.join(", ",
                    t.inputsNeeded()) + "); call generateTransactionId again with them");
        }
        if (p.value() != null && !p.value().strip().equals(t.value())) {
            return new Result.BadRequest("value: must be the value generateTransactionId answered (" + t.value() + ")");
        }
        // The card: the one sent, or the wallet's linked card (its PAN read from the vault in memory).
        Optional<Card> linked = Optional.empty();
        CardData data = p.card();
        if (p.cardId() != null) {
            linked = vault().cardOf(walletOwner(p.brandId(), p.msisdn()), p.cardId());
            if (linked.isEmpty()) {
                return new Result.BadRequest("cardId: no card with this id is linked to this wallet profile");
            }
            Card c = linked.get();
            String mmyy = String.format("%02d%02d", c.expiry().getMonthValue(), c.expiry().getYear() % 100);
            data = new CardData(vault().reveal(c.id()), mmyy, data == null ? null : data.cvv(),
                    data == null ? null : data.accountType(), data == null ? null : data.dateOfBirth(),
                    data == null ? null : data.cardHolderName());
        }
        ValidatingCardData.Result checked = validating.validate("", data);
        if (checked.refused()) {
            return new Result.BadRequest(checked.problem());
        }
        CardData card = checked.card();
        String hash = vault().lookupHash(card.pan());
        if (taken(t)) {
            Optional<Result> again = again(t, hash, card.expiry());
            if (again.isPresent()) {
                return again.get();
            }
        }
        String problem = authProblem(checked.requirements(), p, card, hash);
        if (problem != null) {
            // A parallel retry may have claimed the transaction and used its 3-D Secure look-up
            // since it was read above: that retry's purchase is this request's answer, not a refusal.
            Optional<Result> raced = store.find(t.transactionId()).filter(PurchasingTransaction::taken)
                    .flatMap(now -> again(now, hash, card.expiry()));
            return raced.orElseGet(() -> new Result.BadRequest(problem));
        }
        Amount amount;
        if (t.amount() != null) {
            amount = Amount.of(t.amount());
        } else if (p.amount() == null || p.amount().value().signum() <= 0 || p.amount().value().scale() > 2) {
            return new Result.BadRequest("amount: required, a positive amount with at most two decimals (this code "
                    + "leaves the amount to the customer)");
        } else {
            amount = p.amount();
        }
        Instant now = clock.instant();
        return switch (store.claim(t.transactionId(), hash, card.expiry(), now, now.minus(CLAIM_STALE_AFTER))) {
            case CLAIMED -> buy(t, p, card, hash, linked, amount);
            case PURCHASED, BUSY -> waitFor(t.transactionId());
            case OTHER_CARD -> otherCard();
        };
    }

    /** Bought, or being bought by some request. */
    private static boolean taken(RemoteTransaction t) {
        return t.status() == RemoteTransaction.Status.PURCHASED || t.status() == RemoteTransaction.Status.PURCHASING;
    }

    /** A transaction already bought or being bought: the same card's purchase, or a refusal. */
    private Optional<Result> again(RemoteTransaction t, String hash, String expiry) {
        if (!hash.equals(t.cardHash()) || !expiry.equals(t.cardExpiry())) {
            return Optional.of(otherCard());
        }
        if (t.status() == RemoteTransaction.Status.PURCHASED) {
            return Optional.of(new Result.Bought(payments.get(t.paymentId()).orElseThrow()));
        }
        // Being bought with this card by a live request: wait for its answer rather than check the
        // authentication again (a 3-D Secure look-up it used would no longer pass). A stale claim
        // whose payment was started answers that payment; one without goes through the checks and
        // is taken over.
        Instant staleBefore = clock.instant().minus(CLAIM_STALE_AFTER);
        boolean live = t.claimedAt() != null && t.claimedAt().isAfter(staleBefore);
        if (live) {
            return Optional.of(waitFor(t.transactionId()));
        }
        if (store.linkStarted(t.transactionId(), staleBefore, 1) > 0) {
            UUID paymentId = store.find(t.transactionId()).orElseThrow().paymentId();
            return Optional.of(new Result.Bought(payments.get(paymentId).orElseThrow()));
        }
        return Optional.empty();
    }

    private static Result otherCard() {
        return new Result.Refused("transactionId: already used by a purchase with another card; look the code up "
                + "again for a new transactionId");
    }

    private Result waitFor(String transactionId) {
        Instant until = clock.instant().plus(BUSY_WAIT);
        while (true) {
            Optional<RemoteTransaction> t = store.find(transactionId);
            if (t.isPresent() && t.get().status() == RemoteTransaction.Status.PURCHASED) {
                return new Result.Bought(payments.get(t.get().paymentId()).orElseThrow());
            }
            if (!clock.instant().isBefore(until)) {
                return new Result.InProgress(transactionId);
            }
            try {
                Thread.sleep(BUSY_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result.InProgress(transactionId);
            }
        }
    }

    /** Why the authentication block does not fit the card (naming the field), or null. Reads only. */
    private String authProblem(CardRequirements r, Purchase p, CardData card, String hash) {
        switch (p.auth()) {
            case Auth.Pin pin -> {
                if (r.threeDs()) {
                    return "pinData: this card is authenticated with 3-D Secure (authMethod 3DS); send secureCodeData "
                            + "or secureCodeBasic";
                }
                return pins.read(pin.encryptedData(), card.pan()).problem();
            }
            case Auth.SecureCodeBasic b -> {
                if (!r.threeDs()) {
                    return "secureCodeBasic: this card is authorised with a PIN block (authMethod AMT); send pinData";
                }
                return secureCodes.problem(p.brandId(), p.msisdn(), p.transactionId(), hash, b.secureCodeId(),
                        b.paRes());
            }
            case Auth.SecureCodeData d -> {
                if (!r.threeDs()) {
                    return "secureCodeData: this card is authorised with a PIN block (authMethod AMT); send pinData";
                }
                return SecureCodeDataRules.problem(d);
            }
        }
    }

    private Result buy(RemoteTransaction t, Purchase p, CardData card, String hash, Optional<Card> linked,
                       Amount amount) {
        boolean paymentStarted = false;
        boolean codeCounted = false;
        try {
            if (sandbox && issuers.account(hash).isEmpty()) {
                // The sandbox's issuer opens an account for a card of its banks it has not seen.
                issuers.openAccount(new io.kulipa.providers.simulator.IssuerCard(hash, card.pan().substring(0, 6),
                        card.lastFour(), expiry(card.expiry())), SANDBOX_PIN, SANDBOX_BALANCE, BigDecimal.ZERO, null);
            }
            String verification = verify(p, card, hash);
            if (verification == null) {
                store.release(t.transactionId());
                return new Result.Refused("secureCodeBasic.secureCodeId: this 3-D Secure look-up was used already");
            }
            if (t.kind() == RemoteTransaction.Kind.CODE) {
                if (!codes.use(t.code())) {
                    store.release(t.transactionId());
                    return new Result.Refused("value: the code has expired or was already paid");
                }
                codeCounted = true;
            }
            Merchant merchant = merchants.byId(t.merchantId()).orElseThrow();
            Card held = linked.orElseGet(() -> vault().hold(p.msisdn(), card.pan(), expiry(card.expiry())));
            String fingerprint = fingerprint(hash, card.expiry());
            CheckingDevice.Verdict device = devices.check(t.brandId(), t.msisdn(), p.device(), clock.instant());
            List<Payment.MetadataItem> metadata = new ArrayList<>();
            metadata.add(new Payment.MetadataItem(RemoteStates.TRANSACTION_ID, t.transactionId(), false));
            metadata.add(new Payment.MetadataItem(RemoteStates.VALUE, t.value(), false));
            metadata.add(new Payment.MetadataItem(RemoteStates.BRAND, t.brandId().toString(), false));
            metadata.add(new Payment.MetadataItem(RemoteStates.POI, t.poi(), false));
            if (device.flag() != null) {
                metadata.add(new Payment.MetadataItem(RemoteStates.FRAUD, device.flag(), false));
            }
            String statement = merchant.name().length() > STATEMENT_CHARS_MAX
                    ? merchant.name().substring(0, STATEMENT_CHARS_MAX) : merchant.name();
            paymentStarted = true;
            var result = cardPayments.initiateWith(new InitiatingCardPayment.Purchase(merchant, RemoteStates.DIALECT,
                    t.transactionId(), p.msisdn(), held.id(), amount, statement, metadata, fingerprint, p.webhook()),
                    held, verification);
            Payment payment = switch (result) {
                case InitiatingCardPayment.Result.Accepted a -> a.payment();
                case InitiatingCardPayment.Result.Duplicate d -> d.original().fingerprint().equals(fingerprint)
                        ? d.original() : null;
                default -> null;
            };
            if (payment == null) {
                return refusedByCore(t, result, codeCounted);
            }
            if (device.flag() != null && result instanceof InitiatingCardPayment.Result.Accepted) {
                devices.flag(payment, device.flag());
            }
            store.purchased(t.transactionId(), payment.id(), device.latitude(), device.longitude(), device.flag(),
                    clock.instant());
            return new Result.Bought(payment);
        } catch (RuntimeException e) {
            if (!paymentStarted) {
                if (codeCounted) {
                    codes.unuse(t.code());
                }
                store.release(t.transactionId());
            }
            throw e;
        }
    }

    private Result refusedByCore(RemoteTransaction t, InitiatingCardPayment.Result result, boolean codeCounted) {
        if (result instanceof InitiatingCardPayment.Result.Duplicate) {
            return otherCard();
        }
        if (codeCounted) {
            codes.unuse(t.code());
        }
        store.release(t.transactionId());
        return switch (result) {
            case InitiatingCardPayment.Result.Expired e -> new Result.BadRequest("expiry: the card has expired");
            case InitiatingCardPayment.Result.Rejected r -> new Result.Refused(tail(r.rejection().message()));
            default -> new Result.Refused("the purchase could not be started");
        };
    }

    /** The issuer's verification of the cardholder, or null when a secureCodeBasic was used already. */
    private String verify(Purchase p, CardData card, String hash) {
        return switch (p.auth()) {
            case Auth.Pin pin -> {
                ReadingPinData.Result read = pins.read(pin.encryptedData(), card.pan());
                yield issuers.verifyPin(hash, read.pin());
            }
            case Auth.SecureCodeBasic b -> secureCodes.use(b.secureCodeId().strip()) ? issuers.verifySecureCode(hash)
                    : null;
            case Auth.SecureCodeData d -> issuers.verifySecureCode(hash);
        };
    }

    /** Same card, same purchase: the digest of the card's lookup hash and expiry. */
    static String fingerprint(String hash, String expiry) {
        return Secrets.digest("scantopay-remote-card:" + hash + ":" + expiry);
    }

    static YearMonth expiry(String mmyy) {
        return YearMonth.of(2000 + Integer.parseInt(mmyy.substring(2)), Integer.parseInt(mmyy.substring(0, 2)));
    }

    private static String tail(String message) {
        return message.contains(": ") ? message.substring(message.indexOf(": ") + 2) : message;
    }
}
