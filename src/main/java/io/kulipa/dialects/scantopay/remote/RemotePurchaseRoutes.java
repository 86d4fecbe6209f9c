package io.kulipa.dialects.scantopay.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.callbacks.UrlGuard;
import io.kulipa.dialects.scantopay.remote.cards.CardData;
import io.kulipa.dialects.scantopay.remote.managers.Manager;
import io.kulipa.dialects.scantopay.remote.managers.ManagerStore;
import io.kulipa.dialects.scantopay.remote.purchases.GeneratingTransactionId;
import io.kulipa.dialects.scantopay.remote.purchases.PurchasingTransaction;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteStates;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteTransaction;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteTransactionStore;
import io.kulipa.money.Amount;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentStore;
import io.kulipa.web.Routes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Remote API's payment calls under {@link RemoteRoutes#BASE}: the lookup
 * ({@code generateTransactionId}), the purchase ({@code purchaseTx}), its state and the wallet's
 * history. Translation only: read and check the body, call the use cases, answer in the Remote
 * API's words; anything unexpected is a 500 that is safe to retry with the same transactionId.
 */
final class RemotePurchaseRoutes implements Routes {

    /** The 500's advice. */
    private static final String RETRY = "the request could not be processed; it is safe to retry with the "
            + "same transactionId";
    static final String LOOKUP = RemoteRoutes.BASE + "/generateTransactionId";
    static final String PURCHASE = RemoteRoutes.BASE + "/purchaseTx";
    static final String STATE = RemoteRoutes.BASE + "/transactionState/{transactionId}";
    static final String HISTORY = RemoteRoutes.BASE + "/transactionHistory";
    /** The business rules: at most the 10 newest successful purchases. */
    static final int HISTORY_MAX = 10;
    /** purchaseTx waits this long for the issuer's answer before it answers PENDING. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(3);
    static final Duration ANSWER_POLL = Duration.ofMillis(50);
    /** An input's value: a text, or a small JSON object (an address), at most this long as JSON. */
    static final int INPUT_MAX_CHARS = 1024;
    static final int WEBHOOK_MAX_CHARS = 2048;

    private final RemoteRequests requests;
    private final WalletCalls wallets;
    private final GeneratingTransactionId generating;
    private final PurchasingTransaction purchasing;
    private final RemoteTransactionStore transactions;
    private final PaymentStore payments;
    private final RemoteStates states;
    private final UrlGuard guard;
    private final Clock clock;

    RemotePurchaseRoutes(RemoteRequests requests, ManagerStore managers, GeneratingTransactionId generating,
                         PurchasingTransaction purchasing, RemoteTransactionStore transactions, PaymentStore payments,
                         RemoteStates states, UrlGuard guard, Clock clock) {
        this.requests = requests;
        this.wallets = new WalletCalls(managers, clock);
        this.generating = generating;
        this.purchasing = purchasing;
        this.transactions = transactions;
        this.payments = payments;
        this.states = states;
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(LOOKUP, requests.post((ctx, m) -> wallets.run(ctx, m, this::lookup, RETRY)));
        routes.post(PURCHASE, requests.post((ctx, m) -> wallets.run(ctx, m, this::purchase, RETRY)));
        routes.post(STATE, requests.post((ctx, m) -> wallets.run(ctx, m, this::state, RETRY)));
        routes.post(HISTORY, requests.post((ctx, m) -> wallets.run(ctx, m, this::history, RETRY)));
    }

    // Lookup.

    private void lookup(Context ctx, Manager manager, JsonNode body, String msisdn) {
        String vas = RemoteRequests.text(body, "vasProductId");
        if (vas != null) {
            lookupVas(ctx, manager, body, msisdn, vas);
            return;
        }
        String value = RemoteRequests.text(body, "value");
        if (value == RemoteRequests.WRONG || value == null || value.isBlank()) {
            RemoteErrors.badRequest(ctx, "value: required, the scanned QR value, URL (URL-encoded) or the "
                    + "ten-digit code");
            return;
        }
        Map<String, Object> inputs = inputs(ctx, body.path("inputs"));
        if (inputs == null) {
            return;
        }
        answerLookup(ctx, generating.lookup(new GeneratingTransactionId.Lookup(manager.brandId(), msisdn, value,
                inputs)));
    }

    /** A VAS leaf of the brand's menu looked up like a code: {@code vasProductId}, {@code amount}, its inputs. */
    private void lookupVas(Context ctx, Manager manager, JsonNode body, String msisdn, String productId) {
        if (productId == RemoteRequests.WRONG || productId.isBlank()) {
            RemoteErrors.badRequest(ctx, "vasProductId: a product id of GET /menu");
            return;
        }
        String amountText = RemoteRequests.text(body, "amount");
        Optional<Amount> amount = amountText == null || amountText == RemoteRequests.WRONG ? Optional.empty()
                : Amount.parse(amountText);
        if (amountText != null && amount.isEmpty()) {
            RemoteErrors.badRequest(ctx, "amount: must be a decimal amount of rand");
            return;
        }
        Map<String, Object> inputs = inputs(ctx, body.path("inputs"));
        if (inputs == null) {
            return;
        }
        answerLookup(ctx, generating.lookupVas(new GeneratingTransactionId.VasLookup(manager.brandId(),
                manager.brandName(), msisdn, productId.strip(), amount.orElse(null), inputs)));
    }

    private void answerLookup(Context ctx, GeneratingTransactionId.Result result) {
        switch (result) {
            case GeneratingTransactionId.Result.Refused r -> RemoteErrors.error(ctx, r.message());
            case GeneratingTransactionId.Result.Resolved r -> {
                RemoteTransaction t = r.transaction();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("status", r.missing().isEmpty() ? "SUCCESS" : "NEED_INPUT");
                out.put("transactionId", t.transactionId());
                out.put("value", t.value());
                out.put("poi", t.poi());
                out.put("merchant", Map.of("id", t.merchantId().toString(), "name", r.merchant().name()));
                out.put("amount", t.amount() == null ? null : RemoteStates.rand(t.amount()));
                out.put("currency", "ZAR");
                out.put("amountEditable", t.amount() == null);
                out.put("acceptedPaymentMethods", List.of(
                        Map.of("cardType", "VISA", "authMethods", List.of("AMT", "3DS")),
                        Map.of("cardType", "MASTERCARD", "authMethods", List.of("AMT", "3DS"))));
                out.put("authMethodLookup", RemoteRoutes.BIN_LOOKUP);
                out.put("inputsRequired", r.missing().stream().map(n -> Map.of("name", n)).toList());
                ctx.json(out);
            }
        }
    }

    /** The inputs of a lookup by name, or null after answering 400. */
    private static Map<String, Object> inputs(Context ctx, JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.size() > GeneratingTransactionId.INPUTS_MAX) {
            RemoteErrors.badRequest(ctx, "inputs: an array of at most " + GeneratingTransactionId.INPUTS_MAX
                    + " {\"name\": ..., \"value\": ...}");
            return null;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            JsonNode name = item.path("name");
            JsonNode value = item.path("value");
            if (!item.isObject() || !name.isTextual() || name.asText().isBlank()) {
                RemoteErrors.badRequest(ctx, "inputs[" + i + "].name: required, the input's name");
                return null;
            }
            boolean valueOk = (value.isTextual() && !value.asText().isBlank()) || value.isObject();
            if (!valueOk || value.toString().length() > INPUT_MAX_CHARS) {
                RemoteErrors.badRequest(ctx, "inputs[" + i + "].value: required, a text or an object of at most "
                        + INPUT_MAX_CHARS + " characters");
                return null;
            }
            out.put(name.asText().strip(), value.isTextual() ? value.asText() : value);
        }
        return out;
    }

    // Purchase.

    private void purchase(Context ctx, Manager manager, JsonNode body, String msisdn) {
        String transactionId = transactionId(ctx, RemoteRequests.text(body, "transactionId"));
        if (transactionId == null) {
            return;
        }
        String value = RemoteRequests.text(body, "value");
        if (value == RemoteRequests.WRONG) {
            RemoteErrors.badRequest(ctx, RemoteRequests.wrong("value"));
            return;
        }
        PurchasingTransaction.Auth auth = auth(ctx, body);
        if (auth == null) {
            return;
        }
        String cardIdText = RemoteRequests.text(body, "cardId");
        UUID cardId = null;
        if (cardIdText != null) {
            try {
                cardId = UUID.fromString(cardIdText == RemoteRequests.WRONG ? "" : cardIdText.strip());
            } catch (IllegalArgumentException e) {
                RemoteErrors.badRequest(ctx, "cardId: must be the id of a card linked to the wallet profile");
                return;
            }
        }
        CardData card = RemoteRoutes.card(ctx, body);
        if (card == null) {
            return;
        }
        if (cardId != null && card.pan() != null) {
            RemoteErrors.badRequest(ctx, "cardId: give either cardId (a linked card) or the card's pan, not both");
            return;
        }
        Amount amount = null;
        String amountText = RemoteRequests.text(body, "amount");
        if (amountText != null) {
            Optional<Amount> parsed = amountText == RemoteRequests.WRONG ? Optional.empty() : Amount.parse(amountText);
            if (parsed.isEmpty()) {
                RemoteErrors.badRequest(ctx, "amount: must be a decimal amount of rand");
                return;
            }
            amount = parsed.get();
        }
        String webhook = RemoteRequests.text(body, "webhook");
        if (webhook != null) {
            Optional<String> refused = webhook == RemoteRequests.WRONG || webhook.length() > WEBHOOK_MAX_CHARS
                    ? Optional.of("must be an https URL of at most " + WEBHOOK_MAX_CHARS + " characters")
                    : guard.refusal(webhook.strip());
            if (refused.isPresent()) {
                RemoteErrors.badRequest(ctx, "webhook: " + refused.get());
                return;
            }
            webhook = webhook.strip();
        }
        PurchasingTransaction.Device device = device(ctx, body.path("deviceData"));
        if (device == null) {
            return;
        }
        var result = purchasing.purchase(new PurchasingTransaction.Purchase(manager.brandId(), msisdn, transactionId,
                value, amount, card, cardId,
                auth, webhook, device));
        switch (result) {
            case PurchasingTransaction.Result.BadRequest b -> RemoteErrors.badRequest(ctx, b.message());
            case PurchasingTransaction.Result.Refused r -> RemoteErrors.error(ctx, r.message());
            case PurchasingTransaction.Result.InProgress p -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("status", "PENDING");
                out.put("transactionId", p.transactionId());
                out.put("txState", "START_PURCHASE");
                ctx.json(out);
            }
            case PurchasingTransaction.Result.Bought b -> ctx.json(states.answer(settled(b.payment())));
        }
    }

    /** The payment once the issuer has answered, or as it is after {@link #ANSWER_WAIT}. */
    private Payment settled(Payment p) {
        Instant until = clock.instant().plus(ANSWER_WAIT);
        Payment now = p;
        while (!states.state(now).terminal() && clock.instant().isBefore(until)) {
            try {
                Thread.sleep(ANSWER_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
            now = payments.get(p.id()).orElse(now);
        }
        return now;
    }

    private static String transactionId(Context ctx, String given) {
        if (given == RemoteRequests.WRONG || given == null || given.isBlank()
                || given.strip().length() > RemoteRoutes.TRANSACTION_ID_MAX_CHARS) {
            RemoteErrors.badRequest(ctx, "transactionId: required, the id generateTransactionId answered");
            return null;
        }
        return given.strip();
    }

    /** Exactly one authentication block, or null after answering 400. */
    private static PurchasingTransaction.Auth auth(Context ctx, JsonNode body) {
        List<String> given = new ArrayList<>();
        for (String block : List.of("pinData", "secureCodeData", "secureCodeBasic")) {
            JsonNode n = body.path(block);
            if (!n.isMissingNode() && !n.isNull()) {
                if (!n.isObject()) {
                    RemoteErrors.badRequest(ctx, block + ": must be an object");
                    return null;
                }
                given.add(block);
            }
        }
        if (given.size() != 1) {
            RemoteErrors.badRequest(ctx, (given.isEmpty() ? "pinData, secureCodeData, secureCodeBasic: exactly one "
                    + "authentication block is required (none was given)" : String.join(", ", given)
                    + ": exactly one authentication block is allowed"));
            return null;
        }
        JsonNode n = body.path(given.get(0));
        String[] fields = switch (given.get(0)) {
            case "pinData" -> new String[] {"encryptedData"};
            case "secureCodeBasic" -> new String[] {"secureCodeId", "paRes"};
            default -> new String[] {"cavv", "xid", "eciFlag", "errorNo", "paresStatus", "signatureVerification"};
        };
        String[] v = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            v[i] = RemoteRequests.text(n, fields[i]);
            if (v[i] == RemoteRequests.WRONG) {
                RemoteErrors.badRequest(ctx, given.get(0) + "." + RemoteRequests.wrong(fields[i]));
                return null;
            }
            v[i] = v[i] == null ? null : v[i].strip();
        }
        return switch (given.get(0)) {
            case "pinData" -> new PurchasingTransaction.Auth.Pin(v[0]);
            case "secureCodeBasic" -> {
                if (v[0] == null || v[0].isEmpty()) {
                    RemoteErrors.badRequest(ctx, "secureCodeBasic.secureCodeId: required");
                    yield null;
                }
                yield new PurchasingTransaction.Auth.SecureCodeBasic(v[0], v[1]);
            }
            default -> new PurchasingTransaction.Auth.SecureCodeData(v[0], v[1], v[2], v[3], v[4], v[5]);
        };
    }

    /** The device's position from deviceData (every field optional), or null after answering 400. */
    private static PurchasingTransaction.Device device(Context ctx, JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return new PurchasingTransaction.Device(null, null);
        }
        if (!n.isObject()) {
            RemoteErrors.badRequest(ctx, "deviceData: must be an object");
            return null;
        }
        for (String f : List.of("os", "osVersion", "appVersion", "device", "serial", "clientIP")) {
            if (RemoteRequests.text(n, f) == RemoteRequests.WRONG) {
                RemoteErrors.badRequest(ctx, "deviceData." + RemoteRequests.wrong(f));
                return null;
            }
        }
        BigDecimal lat = coordinate(ctx, n, "latitude", 90);
        BigDecimal lon = lat == NOT_READ ? NOT_READ : coordinate(ctx, n, "longitude", 180);
        if (lat == NOT_READ || lon == NOT_READ) {
            return null;
        }
        if ((lat == null) != (lon == null)) {
            // Half a position is no position: kept as none, which partial deviceData allows.
            return new PurchasingTransaction.Device(null, null);
        }
        return new PurchasingTransaction.Device(lat, lon);
    }

    private static final BigDecimal NOT_READ = new BigDecimal("-999");

    private static BigDecimal coordinate(Context ctx, JsonNode n, String field, int bound) {
        String s = RemoteRequests.text(n, field);
        if (s == null) {
            return null;
        }
        try {
            BigDecimal v = new BigDecimal(s == RemoteRequests.WRONG ? "x" : s.strip());
            if (v.abs().compareTo(BigDecimal.valueOf(bound)) <= 0) {
                return v.setScale(6, java.math.RoundingMode.HALF_UP);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        RemoteErrors.badRequest(ctx, "deviceData." + field + ": a decimal number of degrees, -" + bound + " to " + bound);
        return NOT_READ;
    }

    // State and history.

    private void state(Context ctx, Manager manager, JsonNode body, String msisdn) {
        String id = ctx.pathParam("transactionId");
        Optional<RemoteTransaction> t = id.length() > RemoteRoutes.TRANSACTION_ID_MAX_CHARS ? Optional.empty()
                : transactions.find(id).filter(x -> x.brandId().equals(manager.brandId()) && x.msisdn().equals(msisdn));
        if (t.isEmpty()) {
            RemoteErrors.error(ctx, "transactionId: no transaction of this wallet and MSISDN has this id");
            return;
        }
        Optional<Payment> p = t.get().paymentId() == null ? Optional.empty() : payments.get(t.get().paymentId());
        if (p.isEmpty()) {
            Map<String, Object> out = new LinkedHashMap<>();
            boolean needInput = t.get().status() == RemoteTransaction.Status.NEED_INPUT;
            out.put("status", needInput ? "NEED_INPUT" : "PENDING");
            out.put("transactionId", t.get().transactionId());
            out.put("txState", t.get().status() == RemoteTransaction.Status.PURCHASING ? "START_PURCHASE" : "LOOKED_UP");
            out.put("value", t.get().value());
            out.put("amount", t.get().amount() == null ? null : RemoteStates.rand(t.get().amount()));
            out.put("currency", "ZAR");
            ctx.json(out);
            return;
        }
        ctx.json(states.answer(p.get()));
    }

    private void history(Context ctx, Manager manager, JsonNode body, String msisdn) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (RemoteTransaction t : transactions.history(manager.brandId(), msisdn, HISTORY_MAX)) {
            payments.get(t.paymentId()).ifPresent(p -> items.add(states.answer(p)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "SUCCESS");
        out.put("msisdn", msisdn);
        out.put("transactions", items);
        ctx.json(out);
    }
}
