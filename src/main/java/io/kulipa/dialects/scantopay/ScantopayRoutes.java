package io.kulipa.dialects.scantopay;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.cards.Card;
import io.kulipa.cards.CardVault;
import io.kulipa.dialects.scantopay.notifications.ReversingUnacknowledgedPurchase;
import io.kulipa.dialects.scantopay.notifications.ScantopayNotifications;
import io.kulipa.dialects.scantopay.purchases.CartItem;
import io.kulipa.dialects.scantopay.purchases.PurchasingWithCard;
import io.kulipa.dialects.scantopay.purchases.UssdWhitelist;
import io.kulipa.logging.Failures;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.providers.simulator.SimCardAccount;
import io.kulipa.providers.simulator.SimulatedIssuers;
import io.kulipa.web.Fingerprint;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Routes;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Scan to Pay endpoints under {@code /pluto}: codes (create, queryRef, transaction state), the
 * WIG purchase API (pay a code, direct purchase, balance, cards, strike) for the EXTERNAL role,
 * and the {@code /stk} group for the STK role. Translation only: authenticate, read, call the use
 * cases, answer in Scan to Pay's words.
 */
final class ScantopayRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(ScantopayRoutes.class);
    static final String BASE = "/pluto";
    /** Tries at finding ten digits nobody holds before giving up. */
    private static final int CODE_ATTEMPTS_MAX = 20;
    /** The longest a code may live, and how long it lives when the merchant says nothing. */
    static final Duration CODE_EXPIRY_MAX = Duration.ofDays(366);
    static final Duration CODE_EXPIRY_DEFAULT = Duration.ofDays(1);
    static final int REFERENCE_CHARS_MAX = 64;
    static final int DESCRIPTION_CHARS_MAX = 100;
    static final String SANDBOX_PIN = "1234";
    static final BigDecimal SANDBOX_BALANCE = new BigDecimal("1000.00");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Authenticating authenticating;
    private final MerchantStore merchants;
    private final PaymentStore payments;
    private final ScantopayPorts store;
    private final PurchasingWithCard purchasing;
    private final CardVault vault;
    private final SimulatedIssuers issuers;
    private final UssdWhitelist whitelist;
    private final Function<Payment, ScantopayNotifications.Render> states;
    private final Clock clock;

    ScantopayRoutes(Authenticating authenticating, MerchantStore merchants, PaymentStore payments, ScantopayPorts store,
                    PurchasingWithCard purchasing, CardVault vault, SimulatedIssuers issuers, UssdWhitelist whitelist,
                    Function<Payment, ScantopayNotifications.Render> states, Clock clock) {
        this.authenticating = authenticating;
        this.merchants = merchants;
        this.payments = payments;
        this.store = store;
        this.purchasing = purchasing;
        this.vault = vault;
        this.issuers = issuers;
        this.whitelist = whitelist;
        this.states = states;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(BASE + "/code/create", ctx -> guarded(ctx, Profile.Role.EXTERNAL, (c, p) -> createCode(c, p)));
        routes.post(BASE + "/code/queryRef", ctx -> guarded(ctx, Profile.Role.EXTERNAL, this::queryRef));
        routes.get(BASE + "/code/transaction/state/{transactionId}",
                ctx -> guarded(ctx, Profile.Role.EXTERNAL, this::transactionState));
        routes.get(BASE + "/purchase/network/cards", ctx -> guarded(ctx, Profile.Role.EXTERNAL, this::cards));
        routes.post(BASE + "/purchase/network/balance", ctx -> guarded(ctx, Profile.Role.EXTERNAL,
                (c, p) -> balance(c, p, null)));
        routes.post(BASE + "/purchase/network/code", ctx -> guarded(ctx, Profile.Role.EXTERNAL,
                (c, p) -> payCode(c, p, null, "WIG")));
        routes.post(BASE + "/purchase/network/{network}/balance", ctx -> guarded(ctx, Profile.Role.EXTERNAL,
                (c, p) -> balance(c, p, c.pathParam("network"))));
        routes.post(BASE + "/purchase/network/{network}/code", ctx -> guarded(ctx, Profile.Role.EXTERNAL,
                (c, p) -> payCode(c, p, c.pathParam("network"), "WIG")));
        routes.post(BASE + "/purchase/network", ctx -> guarded(ctx, Profile.Role.EXTERNAL,
                (c, p) -> direct(c, p, null, "WIG")));
        routes.post(BASE + "/purchase/network/{network}", ctx -> guarded(ctx, Profile.Role.EXTERNAL,
                (c, p) -> direct(c, p, c.pathParam("network"), "WIG")));
        routes.post(BASE + "/purchase/strike", ctx -> guarded(ctx, Profile.Role.EXTERNAL, this::strike));
        // The MNO partners' group: the same operations for the STK role.
        routes.post(BASE + "/stk/code", ctx -> guarded(ctx, Profile.Role.STK, (c, p) -> payCode(c, p, null, "STK")));
        routes.post(BASE + "/stk/purchase", ctx -> guarded(ctx, Profile.Role.STK, (c, p) -> direct(c, p, null, "STK")));
        routes.post(BASE + "/stk/balance", ctx -> guarded(ctx, Profile.Role.STK, (c, p) -> balance(c, p, null)));
        routes.post(BASE + "/stk/cards/list", ctx -> guarded(ctx, Profile.Role.STK, this::stkCards));
        routes.post(BASE + "/stk/cards/delink", ctx -> guarded(ctx, Profile.Role.STK, this::stkDelink));
        routes.post(BASE + "/stk/cards/binInfo", ctx -> guarded(ctx, Profile.Role.STK, this::binInfo));
        routes.post(BASE + "/stk/cards/link", ctx -> guarded(ctx, Profile.Role.STK, this::stkLink));
    }

    @FunctionalInterface
    private interface Action {
        void run(Context ctx, Profile profile);
    }

    /** Authenticates the caller for a role; an unexpected failure is a plain 500, never a stack trace. */
    private void guarded(Context ctx, Profile.Role role, Action action) {
        try {
            Optional<Profile> profile = authenticating.profile(ctx.header("Authorization"));
            if (profile.isEmpty()) {
                StpErrors.answer(ctx, 401, "Authorization: Basic or Bearer credentials of a Scan to Pay profile are "
                        + "required, in the profile's own mode");
                return;
            }
            if (!profile.get().roles().contains(role)) {
                StpErrors.answer(ctx, 403, "Authorization: the profile has no " + role + " role");
                return;
            }
            action.run(ctx, profile.get());
        } catch (RuntimeException e) {
            LOG.error("Scan to Pay call {} failed: {}", ctx.path(), Failures.describe(e));
            StpErrors.answer(ctx, 500, "the request could not be processed");
        }
    }

    /** A JSON object body, or the 400 answered. */
    private static Optional<JsonNode> body(Context ctx) {
        JsonBody.Read read = JsonBody.read(ctx, true);
        if (read.refused()) {
            StpErrors.answer(ctx, 400, read.problem());
            return Optional.empty();
        }
        if (read.absent() || !read.node().isObject()) {
            StpErrors.answer(ctx, 400, "body: a JSON object is required");
            return Optional.empty();
        }
        return Optional.of(read.node());
    }

    private Merchant merchant(Profile p) {
        return merchants.byId(p.merchantId()).orElseThrow();
    }

    // Codes.

    private void createCode(Context ctx, Profile profile) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        JsonNode b = body.get();
        Optional<Amount> amount = amount(b.get("amount"));
        if (amount.isEmpty() || amount.get().value().signum() <= 0 || amount.get().value().scale() > 2) {
            StpErrors.answer(ctx, StpErrors.INVALID_AMOUNT, "amount: a positive number of rand with at most two "
                    + "decimals is required");
            return;
        }
        String reference = text(b, "merchantReference");
        if (reference == null || reference.isBlank() || reference.length() > REFERENCE_CHARS_MAX) {
            StpErrors.answer(ctx, 400, "merchantReference: 1 to " + REFERENCE_CHARS_MAX + " characters are required");
            return;
        }
        JsonNode useOnce = b.get("useOnce");
        if (useOnce != null && !useOnce.isNull() && !useOnce.isBoolean()) {
            StpErrors.answer(ctx, 400, "useOnce: must be true or false");
            return;
        }
        String description = text(b, "shortDescription");
        if (description != null && description.length() > DESCRIPTION_CHARS_MAX) {
            StpErrors.answer(ctx, 400, "shortDescription: at most " + DESCRIPTION_CHARS_MAX + " characters");
            return;
        }
        Instant now = clock.instant();
        Instant expiry = now.plus(CODE_EXPIRY_DEFAULT);
        if (b.hasNonNull("expiry")) {
            try {
                expiry = OffsetDateTime.parse(b.get("expiry").asText()).toInstant();
            } catch (DateTimeParseException e) {
                StpErrors.answer(ctx, 400, "expiry: must be an ISO 8601 date-time with an offset");
                return;
            }
            if (!expiry.isAfter(now) || expiry.isAfter(now.plus(CODE_EXPIRY_MAX))) {
                StpErrors.answer(ctx, 400, "expiry: must be in the future and within a year");
                return;
            }
        }
        boolean once = useOnce == null || useOnce.isNull() || useOnce.asBoolean();
        for (int attempt = 0; attempt < CODE_ATTEMPTS_MAX; attempt++) {
            String digits = String.format("%010d", RANDOM.nextLong(10_000_000_000L));
            Code code = new Code(digits, profile.merchantId(), amount.get().value(), reference, once, expiry,
                    description, 0, now);
            if (store.insert(code)) {
                ctx.json(codeJson(code));
                return;
            }
        }
        StpErrors.answer(ctx, 503, "no free code was found; try again");
    }

    private static Map<String, Object> codeJson(Code c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", c.code());
        out.put("amount", c.amount());
        out.put("merchantReference", c.merchantReference());
        out.put("useOnce", c.useOnce());
        out.put("expiry", c.expiresAt() == null ? null : c.expiresAt().toString());
        out.put("shortDescription", c.shortDescription());
        return out;
    }

    private void queryRef(Context ctx, Profile profile) {
        if (profile.notificationUrl() != null) {
            StpErrors.answer(ctx, 406, "notificationUrl: this merchant receives webhooks, so queryRef is not "
                    + "available (polling and webhooks are mutually exclusive)");
            return;
        }
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        String code = text(body.get(), "code");
        String reference = text(body.get(), "merchantReference");
        if (code == null || !code.matches("[0-9]{10}")) {
            StpErrors.answer(ctx, 400, "code: ten digits are required");
            return;
        }
        if (reference == null || reference.isBlank()) {
            StpErrors.answer(ctx, 400, "merchantReference: is required");
            return;
        }
        Optional<Payment> p = store.purchaseOf(profile.merchantId(), code, reference).flatMap(payments::get);
        if (p.isEmpty()) {
            StpErrors.answer(ctx, 404, "code, merchantReference: no transaction of this merchant has them");
            return;
        }
        ctx.json(state(p.get()));
    }

    private void transactionState(Context ctx, Profile profile) {
        String id = ctx.pathParam("transactionId");
        Optional<Payment> p = id.matches("[0-9]{1,18}") ? payments.find(profile.merchantId(),
                PurchasingWithCard.DIALECT, PaymentKind.DEPOSIT, id) : Optional.empty();
        if (p.isEmpty()) {
            StpErrors.answer(ctx, 404, "transactionId: no transaction of this merchant has this id");
            return;
        }
        ctx.json(state(p.get()));
    }

    /** A purchase as queryRef and the transaction state answer it. */
    Map<String, Object> state(Payment p) {
        ScantopayNotifications.Render r = states.apply(p);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transactionId", Long.parseLong(p.clientRef()));
        out.put("reference", PurchasingWithCard.meta(p, PurchasingWithCard.MERCHANT_REFERENCE).orElse(null));
        out.put("code", PurchasingWithCard.meta(p, PurchasingWithCard.CODE).orElse(null));
        out.put("amount", p.amount());
        out.put("currency", p.currency());
        out.put("status", r.state().terminal() ? r.state().notificationStatus() : "PENDING");
        out.put("txState", r.state().name());
        out.put("bankResponse", r.bankResponse());
        out.put("authCode", r.authCode());
        out.put("msisdn", p.msisdn());
        out.put("network", PurchasingWithCard.meta(p, PurchasingWithCard.NETWORK).orElse(null));
        return out;
    }

    // Purchases.

    private void payCode(Context ctx, Profile profile, String network, String channel) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        JsonNode b = body.get();
        Optional<UUID> card = cardId(ctx, b);
        if (card == null) {
            return;
        }
        String code = text(b, "code");
        if (code == null) {
            StpErrors.answer(ctx, 400, "code: is required");
            return;
        }
        answer(ctx, purchasing.purchase(new PurchasingWithCard.Purchase(profile, merchant(profile), text(b, "msisdn"),
                network, code, null, null, List.of(), card.orElse(null), Fingerprint.of(b), null, channel)));
    }

    private void direct(Context ctx, Profile profile, String network, String channel) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        JsonNode b = body.get();
        Optional<UUID> card = cardId(ctx, b);
        if (card == null) {
            return;
        }
        Optional<Amount> amount = amount(b.get("amount"));
        if (b.hasNonNull("amount") && amount.isEmpty()) {
            StpErrors.answer(ctx, StpErrors.INVALID_AMOUNT, "amount: must be a number of rand");
            return;
        }
        List<CartItem> items = new ArrayList<>();
        JsonNode cart = b.get("cartItems");
        if (cart != null && !cart.isNull()) {
            if (!cart.isArray()) {
                StpErrors.answer(ctx, 400, "cartItems: must be an array");
                return;
            }
            for (int i = 0; i < cart.size(); i++) {
                JsonNode item = cart.get(i);
                Optional<Amount> value = item.isObject() ? amount(item.get("value")) : Optional.empty();
                if (value.isEmpty() || value.get().value().signum() <= 0) {
                    StpErrors.answer(ctx, 400, "cartItems[" + i + "].value: a positive amount is required");
                    return;
                }
                String destination = text(item, "destination");
                if (destination != null && !Networks.validMsisdn(destination)) {
                    StpErrors.answer(ctx, 400, "cartItems[" + i + "].destination: must be an MSISDN, 27 then nine digits");
                    return;
                }
                items.add(new CartItem(text(item, "description"), text(item, "quantity"), value.get().value(),
                        destination, text(item, "itemType")));
            }
        }
        String reference = text(b, "merchantReference");
        if (reference != null && reference.length() > REFERENCE_CHARS_MAX) {
            StpErrors.answer(ctx, 400, "merchantReference: at most " + REFERENCE_CHARS_MAX + " characters");
            return;
        }
        answer(ctx, purchasing.purchase(new PurchasingWithCard.Purchase(profile, merchant(profile), text(b, "msisdn"),
                network, null, amount.orElse(null), reference, items, card.orElse(null), Fingerprint.of(b), null,
                channel)));
    }

    /** Re-runs the card authorisation of a finished purchase as a new transaction with the same basket. */
    private void strike(Context ctx, Profile profile) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        JsonNode b = body.get();
        JsonNode original = b.get("originalTxId");
        if (original == null || !original.canConvertToLong() || !original.isIntegralNumber()) {
            StpErrors.answer(ctx, 400, "originalTxId: a transaction id (a number) is required");
            return;
        }
        Optional<Payment> p = payments.find(profile.merchantId(), PurchasingWithCard.DIALECT, PaymentKind.DEPOSIT,
                Long.toString(original.asLong()));
        if (p.isEmpty()) {
            StpErrors.answer(ctx, 404, "originalTxId: no transaction of this merchant has this id");
            return;
        }
        String msisdn = text(b, "msisdn");
        if (msisdn != null && !msisdn.equals(p.get().msisdn())) {
            StpErrors.answer(ctx, 400, "msisdn: is not the original transaction's");
            return;
        }
        ScantopayNotifications.Render r = states.apply(p.get());
        if (!r.state().terminal() || r.state() == TxState.SUCCESS || r.state() == TxState.END_REVERSED) {
            StpErrors.answer(ctx, 406, "originalTxId: only a transaction that ended without success can be struck "
                    + "again (it is " + r.state() + ")");
            return;
        }
        Optional<UUID> card = cardId(ctx, b);
        if (card == null) {
            return;
        }
        Payment o = p.get();
        UUID cardId = card.orElseGet(() -> io.kulipa.cards.InitiatingCardPayment.cardOf(o).orElse(null));
        answer(ctx, purchasing.purchase(new PurchasingWithCard.Purchase(profile, merchant(profile), o.msisdn(),
                PurchasingWithCard.meta(o, PurchasingWithCard.NETWORK).orElse(null), null,
                // The stored amount reads back with the column's four decimals; rand have two.
                Amount.of(o.amount().setScale(2, java.math.RoundingMode.UNNECESSARY)),
                PurchasingWithCard.meta(o, PurchasingWithCard.MERCHANT_REFERENCE).orElse("strike-" + o.clientRef()),
                PurchasingWithCard.cartOf(o), cardId, Fingerprint.of(b), original.asLong(),
                PurchasingWithCard.meta(o, PurchasingWithCard.CHANNEL).orElse("WIG"))));
    }

    private void answer(Context ctx, PurchasingWithCard.Result result) {
        switch (result) {
            case PurchasingWithCard.Result.Refused r -> StpErrors.answer(ctx, r.status(), r.message());
            case PurchasingWithCard.Result.Accepted a -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("transactionId", a.txId());
                out.put("status", "PENDING");
                out.put("txState", states.apply(a.payment()).state().name());
                out.put("msisdn", a.payment().msisdn());
                out.put("network", a.network().name());
                out.put("amount", a.payment().amount());
                out.put("currency", a.payment().currency());
                out.put("merchantReference", PurchasingWithCard.meta(a.payment(), PurchasingWithCard.MERCHANT_REFERENCE)
                        .orElse(null));
                out.put("card", cardJson(a.card()));
                ctx.json(out);
            }
        }
    }

    // Cards and balances.

    private void cards(Context ctx, Profile profile) {
        String msisdn = ctx.queryParam("msisdn");
        Optional<PurchasingWithCard.Result.Refused> refused = PurchasingWithCard.networkRefusal(msisdn, null);
        if (refused.isPresent()) {
            StpErrors.answer(ctx, refused.get().status(), refused.get().message());
            return;
        }
        ctx.json(cardList(msisdn));
    }

    private Map<String, Object> cardList(String msisdn) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("msisdn", msisdn);
        out.put("cards", vault.cards(msisdn).stream().map(this::cardJson).toList());
        return out;
    }

    private Map<String, Object> cardJson(Card c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cardId", c.id().toString());
        out.put("maskedPan", c.masked());
        out.put("bin", c.bin());
        out.put("last4", c.last4());
        out.put("expiry", String.format("%02d/%02d", c.expiry().getMonthValue(), c.expiry().getYear() % 100));
        out.put("bank", issuers.bankOf(c.bin()).map(io.kulipa.providers.simulator.CardIssuers.Bank::name).orElse(null));
        return out;
    }

    private void balance(Context ctx, Profile profile, String network) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        String msisdn = text(body.get(), "msisdn");
        Optional<PurchasingWithCard.Result.Refused> refused = PurchasingWithCard.networkRefusal(msisdn, network);
        if (refused.isPresent()) {
            StpErrors.answer(ctx, refused.get().status(), refused.get().message());
            return;
        }
        Optional<UUID> card = cardId(ctx, body.get());
        if (card == null) {
            return;
        }
        List<Card> cards = card.isPresent() ? vault.cardOf(msisdn, card.get()).stream().toList() : vault.cards(msisdn);
        if (cards.isEmpty()) {
            StpErrors.answer(ctx, 404, card.isPresent() ? "cardId: no such card is linked to this MSISDN"
                    : "msisdn: no card is linked to this MSISDN");
            return;
        }
        List<Map<String, Object>> balances = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Card c : cards) {
            Optional<SimCardAccount> account = issuers.account(c.lookupHash());
            Map<String, Object> one = cardJson(c);
            account.ifPresent(a -> {
                one.put("balance", a.balance());
                one.put("availableBalance", a.available());
            });
            if (account.isPresent()) {
                total = total.add(account.get().available());
            }
            balances.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("msisdn", msisdn);
        out.put("network", Networks.named(network).or(() -> Networks.detect(msisdn)).map(Enum::name).orElse(null));
        out.put("currency", "ZAR");
        out.put("availableBalance", total);
        out.put("cards", balances);
        ctx.json(out);
    }

    // The STK group's card management.

    private void stkCards(Context ctx, Profile profile) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        String msisdn = text(body.get(), "msisdn");
        Optional<PurchasingWithCard.Result.Refused> refused = PurchasingWithCard.networkRefusal(msisdn, null);
        if (refused.isPresent()) {
            StpErrors.answer(ctx, refused.get().status(), refused.get().message());
            return;
        }
        ctx.json(cardList(msisdn));
    }

    private void stkDelink(Context ctx, Profile profile) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        String msisdn = text(body.get(), "msisdn");
        Optional<UUID> card = cardId(ctx, body.get());
        if (card == null) {
            return;
        }
        if (!Networks.validMsisdn(msisdn) || card.isEmpty()) {
            StpErrors.answer(ctx, msisdn == null ? StpErrors.MISSING_MSISDN : 400,
                    "msisdn, cardId: both are required");
            return;
        }
        if (!vault.delink(msisdn, card.get())) {
            StpErrors.answer(ctx, 404, "cardId: no such card is linked to this MSISDN");
            return;
        }
        ctx.json(Map.of("msisdn", msisdn, "cardId", card.get().toString(), "status", "DELINKED"));
    }

    private void binInfo(Context ctx, Profile profile) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        String bin = text(body.get(), "bin");
        if (bin == null || !bin.matches("[0-9]{6,8}")) {
            StpErrors.answer(ctx, 400, "bin: six to eight digits are required");
            return;
        }
        Optional<io.kulipa.providers.simulator.CardIssuers.Bank> bank = issuers.bankOf(bin.substring(0, 6));
        if (bank.isEmpty()) {
            StpErrors.answer(ctx, 404, "bin: no issuer Kulipa knows has this BIN");
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bin", bin.substring(0, 6));
        out.put("bank", bank.get().name());
        Optional<UssdWhitelist.Range> range = whitelist.range(bin.substring(0, 6));
        out.put("ussdWhitelisted", range.map(UssdWhitelist.Range::whitelisted).orElse(false));
        out.put("authMethod", whitelist.method(bin.substring(0, 6)) == UssdWhitelist.Method.THREE_DS ? "3DS" : "PIN");
        out.put("lastExpiry", range.map(UssdWhitelist.Range::lastExpiry).map(Object::toString).orElse(null));
        ctx.json(out);
    }

    /**
     * Links a card to an MSISDN for an MNO partner. The PAN arrives only here, goes to the vault
     * encrypted and is never answered, logged or echoed back.
     */
    private void stkLink(Context ctx, Profile profile) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        String msisdn = text(body.get(), "msisdn");
        String pan = text(body.get(), "pan");
        String expiry = text(body.get(), "expiry");
        if (!Networks.validMsisdn(msisdn)) {
            StpErrors.answer(ctx, msisdn == null ? StpErrors.MISSING_MSISDN : 400, "msisdn: 27 then nine digits");
            return;
        }
        if (pan == null || !pan.matches("[0-9]{14,19}") || !CardVault.luhn(pan)) {
            StpErrors.answer(ctx, 400, "pan: 14 to 19 digits with a valid Luhn check digit");
            return;
        }
        if (expiry == null || !expiry.matches("(0[1-9]|1[0-2])[0-9]{2}")) {
            StpErrors.answer(ctx, 400, "expiry: MMYY");
            return;
        }
        java.time.YearMonth ym = java.time.YearMonth.of(2000 + Integer.parseInt(expiry.substring(2)),
                Integer.parseInt(expiry.substring(0, 2)));
        Optional<UssdWhitelist.Refusal> refused = whitelist.refusal(pan.substring(0, 6), ym,
                vault.thisMonth(), "pan");
        if (refused.isPresent()) {
            StpErrors.answer(ctx, refused.get().status(), refused.get().message());
            return;
        }
        if (issuers.bankOf(pan.substring(0, 6)).isEmpty()) {
            StpErrors.answer(ctx, 400, "pan: no issuer Kulipa knows has this BIN");
            return;
        }
        CardVault.Linked linked = vault.link(msisdn, pan, ym);
        switch (linked) {
            case CardVault.Linked.Done d -> {
                // The sandbox's issuer opens an account for a card it has not seen (PIN 1234).
                issuers.openAccount(io.kulipa.cards.SeedingTestCards.issuerCard(d.card()), SANDBOX_PIN,
                        SANDBOX_BALANCE, BigDecimal.ZERO, null);
                ctx.json(cardJson(d.card()));
            }
            case CardVault.Linked.Invalid i -> StpErrors.answer(ctx, 400, i.message());
            case CardVault.Linked.TooMany t -> StpErrors.answer(ctx, 409, "msisdn: at most "
                    + CardVault.CARDS_PER_MSISDN_MAX + " cards may be linked");
        }
    }

    // Reading.

    /** The card id of a body: empty when absent, null when malformed (the 400 answered). */
    private static Optional<UUID> cardId(Context ctx, JsonNode b) {
        String id = text(b, "cardId");
        if (id == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            StpErrors.answer(ctx, 400, "cardId: must be a card id from the cards list");
            return null;
        }
    }

    static String text(JsonNode b, String field) {
        JsonNode n = b.get(field);
        return n == null || n.isNull() || !(n.isTextual() || n.isNumber()) ? null : n.asText();
    }

    /** An amount as written on the wire, a JSON number or a string of one. */
    static Optional<Amount> amount(JsonNode n) {
        if (n == null || n.isNull() || !(n.isNumber() || n.isTextual())) {
            return Optional.empty();
        }
        return Amount.parse(n.asText());
    }
}
