package io.kulipa.dialects.scantopay.purchases;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kulipa.cards.Card;
import io.kulipa.cards.InitiatingCardPayment;
import io.kulipa.dialects.scantopay.Code;
import io.kulipa.dialects.scantopay.CodeStore;
import io.kulipa.dialects.scantopay.Networks;
import io.kulipa.dialects.scantopay.Profile;
import io.kulipa.dialects.scantopay.StpErrors;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A WIG purchase: pays an existing code, or a direct purchase with a basket, with a card linked
 * to the customer's MSISDN. Checks in the spec's order (MSISDN, network, customer, card, code or
 * basket), then one core card payment whose client id is the new numeric transaction id. Nothing
 * is written for a refused purchase (a code use or airtime counted first is given back).
 */
public final class PurchasingWithCard {

    public static final String DIALECT = "scantopay";
    /** Metadata of a WIG purchase, beside the card's. */
    public static final String TX_ID = "txId";
    public static final String CODE = "code";
    public static final String MERCHANT_REFERENCE = "merchantReference";
    public static final String NETWORK = "network";
    public static final String CART_ITEMS = "cartItems";
    public static final String ORIGINAL_TX_ID = "originalTxId";
    public static final String CHANNEL = "channel";
    /** The most cart items one purchase may carry. */
    public static final int CART_ITEMS_MAX = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param network     the {@code {network}} of the path, or null for auto-detection
     * @param code        the code to pay, or null for a direct purchase
     * @param amount      the direct purchase's amount (null when paying a code)
     * @param channel     "WIG" or "STK"
     */
    public record Purchase(Profile profile, Merchant merchant, String msisdn, String network, String code,
                           Amount amount, String merchantReference, List<CartItem> cartItems, UUID cardId,
                           String fingerprint, Long originalTxId, String channel) {
    }

    public sealed interface Result {
        record Accepted(long txId, Payment payment, Card card, Networks.Network network) implements Result {
        }

        /** Refused at the door: the HTTP status is Scan to Pay's error code. */
        record Refused(int status, String message) implements Result {
        }
    }

    private final InitiatingCardPayment cards;
    private final CodeStore codes;
    private final AirtimeLimits limits;
    private final UssdWhitelist whitelist;
    private final Set<String> suspendedClients;
    private final Clock clock;

    public PurchasingWithCard(InitiatingCardPayment cards, CodeStore codes,
                              AirtimeLimits limits, UssdWhitelist whitelist, Set<String> suspendedClients, Clock clock) {
        this.cards = cards;
        this.codes = codes;
        this.limits = limits;
        this.whitelist = whitelist;
        this.suspendedClients = Set.copyOf(suspendedClients);
        this.clock = clock;
    }

    /** The network of an MSISDN for a path that may name one; a refusal when it is not served. */
    public static Optional<Result.Refused> networkRefusal(String msisdn, String pathNetwork) {
        if (msisdn == null || msisdn.isBlank()) {
            return Optional.of(new Result.Refused(StpErrors.MISSING_MSISDN, "msisdn: is required"));
        }
        if (!Networks.validMsisdn(msisdn)) {
            return Optional.of(new Result.Refused(400, "msisdn: must be a South African MSISDN, 27 then nine digits"));
        }
        Optional<Networks.Network> detected = Networks.detect(msisdn);
        if (pathNetwork != null) {
            Optional<Networks.Network> named = Networks.named(pathNetwork);
            if (named.isEmpty()) {
                return Optional.of(new Result.Refused(StpErrors.INVALID_NETWORK,
                        "network: must be MTN, VODACOM, CELLC or TELKOM"));
            }
            if (detected.isEmpty() || detected.get() != named.get()) {
                return Optional.of(new Result.Refused(StpErrors.INVALID_NETWORK, "network: the msisdn is on "
                        + detected.map(Enum::name).orElse("no network Kulipa knows") + ", not " + named.get()));
            }
        } else if (detected.isEmpty()) {
            return Optional.of(new Result.Refused(StpErrors.INVALID_NETWORK,
                    "msisdn: its network is none of MTN, VODACOM, CELLC, TELKOM"));
        }
        return Optional.empty();
    }

    public Result purchase(Purchase p) {
        Optional<Result.Refused> network = networkRefusal(p.msisdn(), p.network());
        if (network.isPresent()) {
            return network.get();
        }
        if (p.profile().suspended() || suspendedClients.contains(p.msisdn())) {
            return new Result.Refused(StpErrors.CLIENT_SUSPENDED, "msisdn: the customer's account is suspended");
        }
        Optional<Card> card = cards.cardFor(p.msisdn(), p.cardId());
        if (card.isEmpty()) {
            return new Result.Refused(404, p.cardId() == null ? "msisdn: no card is linked to this MSISDN"
                    : "cardId: no such card is linked to this MSISDN");
        }
        Optional<UssdWhitelist.Refusal> refused = whitelist.refusal(card.get().bin(), card.get().expiry(),
                cards.vault().thisMonth(), "cardId");
        if (refused.isPresent()) {
            return new Result.Refused(refused.get().status(), refused.get().message());
        }
        return p.code() != null ? payCode(p, card.get()) : direct(p, card.get());
    }

    private Result payCode(Purchase p, Card card) {
        if (!p.code().matches("[0-9]{10}")) {
            return new Result.Refused(400, "code: must be ten digits");
        }
        Optional<Code> code = codes.find(p.code()).filter(c -> c.merchantId().equals(p.merchant().id()));
        if (code.isEmpty()) {
            return new Result.Refused(StpErrors.CODE_NOT_FOUND, "code: no such code for this merchant");
        }
        if (code.get().amount() == null) {
            return new Result.Refused(StpErrors.INVALID_AMOUNT, "code: has no amount, which a USSD purchase needs");
        }
        if (!codes.use(p.code())) {
            return new Result.Refused(406, "code: has expired or was already paid (useOnce)");
        }
        Result result = initiate(p, card, Amount.of(code.get().amount()), code.get().merchantReference(),
                code.get().shortDescription(), List.of());
        if (result instanceof Result.Refused) {
            codes.unuse(p.code());
        }
        return result;
    }

    private Result direct(Purchase p, Card card) {
        if (p.amount() == null) {
            return new Result.Refused(StpErrors.INVALID_AMOUNT, "amount: is required");
        }
        if (p.amount().value().signum() <= 0 || p.amount().value().scale() > 2) {
            return new Result.Refused(StpErrors.INVALID_AMOUNT, "amount: must be positive with at most two decimals");
        }
        if (p.merchantReference() == null || p.merchantReference().isBlank()) {
            return new Result.Refused(400, "merchantReference: is required");
        }
        if (p.cartItems().size() > CART_ITEMS_MAX) {
            return new Result.Refused(400, "cartItems: at most " + CART_ITEMS_MAX + " items");
        }
        BigDecimal total = BigDecimal.ZERO;
        for (CartItem item : p.cartItems()) {
            total = total.add(item.value());
        }
        if (!p.cartItems().isEmpty() && total.compareTo(p.amount().value()) != 0) {
            return new Result.Refused(StpErrors.INVALID_AMOUNT, "amount: is not the sum of the cartItems' values ("
                    + Amount.plain(total) + ")");
        }
        List<CartItem> counted = new ArrayList<>();
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        for (CartItem item : p.cartItems()) {
            Optional<AirtimeLimits.Limit> limit = item.airtime() ? limits.of(item.itemType()) : Optional.empty();
            if (limit.isEmpty()) {
                continue;
            }
            String destination = item.destination() == null ? p.msisdn() : item.destination();
            if (item.value().compareTo(limit.get().perPurchaseMax()) > 0
                    || !codes.addAirtime(destination, day, item.value(), limit.get().perDayMax(),
                    limit.get().perDayCountMax())) {
                giveBack(counted, p.msisdn(), day);
                return new Result.Refused(400, "cartItems: the " + item.itemType() + " limit of " + destination
                        + " (R" + Amount.plain(limit.get().perPurchaseMax()) + " a purchase, R"
                        + Amount.plain(limit.get().perDayMax()) + " and " + limit.get().perDayCountMax()
                        + " purchases a day) would be passed");
            }
            counted.add(item);
        }
        Result result = initiate(p, card, p.amount(), p.merchantReference(), null, p.cartItems());
        if (result instanceof Result.Refused) {
            giveBack(counted, p.msisdn(), day);
        }
        return result;
    }

    private void giveBack(List<CartItem> counted, String msisdn, LocalDate day) {
        counted.forEach(i -> codes.removeAirtime(i.destination() == null ? msisdn : i.destination(), day, i.value()));
    }

    private Result initiate(Purchase p, Card card, Amount amount, String reference, String description,
                            List<CartItem> items) {
        long txId = codes.nextTxId();
        Networks.Network network = p.network() != null ? Networks.named(p.network()).orElseThrow()
                : Networks.detect(p.msisdn()).orElseThrow();
        List<Payment.MetadataItem> metadata = new ArrayList<>();
        metadata.add(new Payment.MetadataItem(TX_ID, Long.toString(txId), false));
        metadata.add(new Payment.MetadataItem(NETWORK, network.name(), false));
        metadata.add(new Payment.MetadataItem(CHANNEL, p.channel(), false));
        if (reference != null) {
            metadata.add(new Payment.MetadataItem(MERCHANT_REFERENCE, reference, false));
        }
        if (p.code() != null) {
            metadata.add(new Payment.MetadataItem(CODE, p.code(), false));
        }
        if (p.originalTxId() != null) {
            metadata.add(new Payment.MetadataItem(ORIGINAL_TX_ID, Long.toString(p.originalTxId()), false));
        }
        if (!items.isEmpty()) {
            metadata.add(new Payment.MetadataItem(CART_ITEMS, cartJson(items), false));
        }
        String statement = description != null && !description.isBlank() ? p.merchant().name() + ": " + description
                : p.merchant().name();
        var result = cards.initiate(new InitiatingCardPayment.Purchase(p.merchant(), DIALECT, Long.toString(txId),
                p.msisdn(), card.id(), amount, statement.length() > 100 ? statement.substring(0, 100) : statement,
                metadata, p.fingerprint(), p.profile().notificationUrl()));
        return switch (result) {
            case InitiatingCardPayment.Result.Accepted a -> new Result.Accepted(txId, a.payment(), card, network);
            case InitiatingCardPayment.Result.Duplicate d -> new Result.Refused(409, "txId: already used");
            case InitiatingCardPayment.Result.NoCard n -> new Result.Refused(404, "cardId: no such card is linked");
            // The card expired between the whitelist check and the core's (a month turned over).
            case InitiatingCardPayment.Result.Expired e -> new Result.Refused(
                    whitelist.method(card.bin()) == UssdWhitelist.Method.THREE_DS ? StpErrors.THREE_DS_NOT_WHITELISTED
                            : StpErrors.CNP_NOT_WHITELISTED, "cardId: the card has expired, and an expired card's expiry "
                    + "is not whitelisted for USSD purchases");
            case InitiatingCardPayment.Result.Rejected r -> switch (r.rejection().code()) {
                case INVALID_AMOUNT, AMOUNT_TOO_SMALL, AMOUNT_TOO_LARGE -> new Result.Refused(StpErrors.INVALID_AMOUNT,
                        "amount: " + tail(r.rejection().message()));
                case CORRESPONDENT_TEMPORARILY_UNAVAILABLE -> new Result.Refused(503,
                        "the card network is temporarily unavailable");
                default -> new Result.Refused(400, tail(r.rejection().message()));
            };
        };
    }

    private static String tail(String message) {
        return message.contains(": ") ? message.substring(message.indexOf(": ") + 2) : message;
    }

    static String cartJson(List<CartItem> items) {
        ArrayNode array = JSON.createArrayNode();
        for (CartItem i : items) {
            var n = array.addObject();
            n.put("description", i.description());
            n.put("quantity", i.quantity());
            n.put("value", i.value().toPlainString());
            n.put("destination", i.destination());
            n.put("itemType", i.itemType());
        }
        return array.toString();
    }

    /** The basket a purchase carried, read back from its metadata. */
    public static List<CartItem> cartOf(Payment p) {
        Optional<String> json = p.metadata().stream().filter(m -> m.fieldName().equals(CART_ITEMS))
                .map(Payment.MetadataItem::fieldValue).findFirst();
        if (json.isEmpty()) {
            return List.of();
        }
        List<CartItem> items = new ArrayList<>();
        try {
            for (var n : JSON.readTree(json.get())) {
                items.add(new CartItem(n.path("description").asText(null), n.path("quantity").asText(null),
                        new BigDecimal(n.path("value").asText()), n.path("destination").asText(null),
                        n.path("itemType").asText(null)));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored basket does not read back", e);
        }
        return items;
    }

    public static Optional<String> meta(Payment p, String field) {
        return p.metadata().stream().filter(m -> m.fieldName().equals(field)).map(Payment.MetadataItem::fieldValue)
                .findFirst();
    }
}
