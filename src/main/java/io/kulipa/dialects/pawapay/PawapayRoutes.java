package io.kulipa.dialects.pawapay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Authenticator;
import io.kulipa.web.Routes;
import io.kulipa.web.SignedRequests;
import io.kulipa.signatures.VerifyingSignedRequest;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.CancellingEnqueuedPayout;
import io.kulipa.providers.Catalog;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.Rejection;
import io.kulipa.payments.ResendingCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pawaPay Merchant API v1 endpoints. Translation only: parse the wire format, find the
 * merchant, call a core use case, answer in pawaPay's words.
 */
public final class PawapayRoutes implements Routes {

    static final int MAX_BULK_PAYOUTS = 20;

    private final Authenticator auth;
    private final InitiatingPayment initiating;
    private final RefundingDeposit refunding;
    private final CancellingEnqueuedPayout cancelling;
    private final ResendingCallback resending;
    private final PaymentStore payments;
    private final Catalog correspondents;
    private final VerifyingSignedRequest signed;

    /** @param correspondents the correspondents pawaPay merchants may address (the other dialects may have more) */
    public PawapayRoutes(Authenticator auth, InitiatingPayment initiating, RefundingDeposit refunding,
                         CancellingEnqueuedPayout cancelling, ResendingCallback resending, PaymentStore payments,
                         Catalog correspondents, VerifyingSignedRequest signed) {
        this.signed = signed;
        this.correspondents = correspondents;
        this.auth = auth;
        this.initiating = initiating;
        this.refunding = refunding;
        this.cancelling = cancelling;
        this.resending = resending;
        this.payments = payments;
    }

    @Override
    public void register(RoutesConfig routes) {
        for (PaymentKind kind : PaymentKind.values()) {
            String base = "/" + kind.name().toLowerCase() + "s";
            routes.post(base, signedObject(kind, (ctx, m, body) -> ctx.json(initiateOne(body, m, kind))));
            routes.get(base + "/{id}", asMerchant((ctx, m) -> find(ctx, m, kind)));
            routes.post(base + "/resend-callback", withObject(kind, (ctx, m, body) -> resend(ctx, m, kind, body)));
        }
        routes.post("/payouts/bulk", asMerchant(signed(this::bulk)));
        routes.post("/payouts/fail-enqueued/{id}", asMerchant(this::failEnqueued));
    }

    /** A handler that runs for an authenticated merchant; any other caller gets pawaPay's 401. */
    private interface MerchantHandler {
        void handle(Context ctx, Merchant merchant) throws Exception;
    }

    /** A handler that also needs the body to be one JSON object; anything else gets INVALID_INPUT. */
    private interface ObjectHandler {
        void handle(Context ctx, Merchant merchant, JsonNode body) throws Exception;
    }

    private Handler asMerchant(MerchantHandler handler) {
        return ctx -> {
            Optional<Merchant> merchant = auth.merchant(ctx);
            if (merchant.isEmpty()) {
                ctx.status(401).json(error("AUTHENTICATION_ERROR", "The bearer token is missing or not valid"));
                return;
            }
            handler.handle(ctx, merchant.get());
        };
    }

    private Handler withObject(PaymentKind kind, ObjectHandler handler) {
        return asMerchant(objectOf(kind, handler));
    }

    /** A financial request (deposit, payout, refund): signed as pawaPay requires once the merchant asks. */
    private Handler signedObject(PaymentKind kind, ObjectHandler handler) {
        return asMerchant(signed(objectOf(kind, handler)));
    }

    private MerchantHandler objectOf(PaymentKind kind, ObjectHandler handler) {
        return (ctx, merchant) -> {
            Optional<JsonNode> body = jsonObject(ctx, kind);
            if (body.isPresent()) {
                handler.handle(ctx, merchant, body.get());
            }
        };
    }

    /**
     * Refuses, with pawaPay's 403 HTTP_SIGNATURE_ERROR and before the body is read, a financial
     * request of a merchant that accepts only signed ones when its signature is missing, tampered
     * with, too old, or its Content-Digest does not match the body.
     */
    private MerchantHandler signed(MerchantHandler handler) {
        return (ctx, merchant) -> {
            Optional<String> refusal = signed.refusal(merchant.id(), SignedRequests.message(ctx), ctx.bodyAsBytes());
            if (refusal.isPresent()) {
                ctx.status(403).json(error("HTTP_SIGNATURE_ERROR", "Only signed financial requests are accepted "
                        + "for this account and this one could not be verified: " + refusal.get()));
                return;
            }
            handler.handle(ctx, merchant);
        };
    }

    /** One deposit, payout or refund: the creation answer in pawaPay's words. */
    private ObjectNode initiateOne(JsonNode body, Merchant merchant, PaymentKind kind) {
        if (!body.isObject()) {
            return rejected(kind, null, new Rejection(FailureCode.INVALID_INPUT, "each item must be a JSON object"));
        }
        Optional<String> id = PawapayRequests.clientId(body, kind);
        InitiatingPayment.Result result;
        if (kind == PaymentKind.REFUND) {
            PawapayRequests.ParsedRefund parsed = PawapayRequests.parseRefund(body, merchant);
            if (parsed.rejection() != null) {
                return duplicateOr(body, merchant, kind, id, parsed.rejection());
            }
            result = refunding.refund(parsed.request());
        } else {
            PawapayRequests.Parsed parsed = PawapayRequests.parse(body, merchant, kind);
            if (parsed.rejection() == null && correspondents.correspondent(parsed.request().correspondent()).isEmpty()) {
                parsed = PawapayRequests.Parsed.reject(FailureCode.PARAMETER_INVALID, "correspondent: '"
                        + parsed.request().correspondent() + "' is not a known correspondent");
            }
            if (parsed.rejection() != null) {
                return duplicateOr(body, merchant, kind, id, parsed.rejection());
            }
            result = initiating.initiate(parsed.request());
        }
        return switch (result) {
            case InitiatingPayment.Result.Accepted a -> creation(kind, a.payment().clientRef(),
                    a.payment().state() == PaymentState.ENQUEUED ? "ENQUEUED" : "ACCEPTED", a.payment());
            case InitiatingPayment.Result.Duplicate d ->
                    creation(kind, d.original().clientRef(), "DUPLICATE_IGNORED", d.original());
            case InitiatingPayment.Result.Rejected r -> rejected(kind, id.orElse(null), r.rejection());
        };
    }

    /** The core decides whether a request it cannot be given is a duplicate of a known id. */
    private ObjectNode duplicateOr(JsonNode body, Merchant merchant, PaymentKind kind, Optional<String> id,
                                  Rejection rejection) {
        Optional<Payment> existing = id.flatMap(i -> initiating.duplicateOf(new InitiatingPayment.Unreadable(
                merchant.id(), PawapayJson.DIALECT, kind, i, rejection.code().name())));
        if (existing.isPresent()) {
            return creation(kind, existing.get().clientRef(), "DUPLICATE_IGNORED", existing.get());
        }
        return rejected(kind, rawId(body, kind), rejection);
    }

    /**
     * Up to {@link #MAX_BULK_PAYOUTS} payouts, each answered on its own. They are started
     * together so that they are written in one commit.
     */
    private void bulk(Context ctx, Merchant merchant) {
        JsonBody.Read read = JsonBody.read(ctx, true);
        JsonNode body = read.node();
        if (body == null || !body.isArray()) {
            ctx.status(400).json(error("INVALID_INPUT", "The request body must be a JSON array of payout requests"
                    + (read.refused() ? "; " + read.problem() : "")));
            return;
        }
        if (body.isEmpty() || body.size() > MAX_BULK_PAYOUTS) {
            ctx.status(400).json(error("PARAMETER_INVALID", "A bulk request carries 1 to " + MAX_BULK_PAYOUTS
                    + " payouts; this one has " + body.size()));
            return;
        }
        // First occurrences of each payoutId go together (one commit); a repeat of an id earlier
        // in the same request goes after them, so that the first one is the one accepted.
        List<java.util.concurrent.Future<ObjectNode>> answers = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Integer> repeats = new ArrayList<>();
        ObjectNode[] out = new ObjectNode[body.size()];
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < body.size(); i++) {
                JsonNode item = body.get(i);
                String key = item.path("payoutId").asText("").toLowerCase();
                if (!key.isEmpty() && !seen.add(key)) {
                    repeats.add(i);
                    answers.add(null);
                } else {
                    answers.add(threads.submit(() -> initiateOne(item, merchant, PaymentKind.PAYOUT)));
                }
            }
        }
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i) != null) {
                out[i] = answers.get(i).resultNow();
            }
        }
        for (int i : repeats) {
            out[i] = initiateOne(body.get(i), merchant, PaymentKind.PAYOUT);
        }
        ArrayNode list = PawapayJson.MAPPER.createArrayNode();
        for (ObjectNode answer : out) {
            list.add(answer);
        }
        ctx.json(list);
    }

    private void failEnqueued(Context ctx, Merchant merchant) {
        String id = ctx.pathParam("id").toLowerCase();
        ObjectNode answer = PawapayJson.MAPPER.createObjectNode();
        answer.put("payoutId", id);
        Optional<String> refused = PawapayRequests.UUID_FORMAT.matcher(id).matches()
                ? cancelling.cancel(merchant.id(), PawapayJson.DIALECT, id)
                : Optional.of("payoutId: must be a UUID of 36 characters");
        answer.put("status", refused.isEmpty() ? "ACCEPTED" : "REJECTED");
        refused.ifPresent(reason -> answer.put("rejectionReason", reason));
        ctx.json(answer);
    }

    private void find(Context ctx, Merchant merchant, PaymentKind kind) {
        ArrayNode list = PawapayJson.MAPPER.createArrayNode();
        String id = ctx.pathParam("id").toLowerCase();
        // Only pawaPay's own payments: another dialect's payment with the same id is not this one.
        payments.find(merchant.id(), PawapayJson.DIALECT, kind, id).ifPresent(p -> list.add(PawapayJson.payment(p)));
        ctx.json(list);
    }

    private void resend(Context ctx, Merchant merchant, PaymentKind kind, JsonNode body) {
        String field = PawapayRequests.idField(kind);
        ObjectNode answer = PawapayJson.MAPPER.createObjectNode();
        Optional<String> id = PawapayRequests.clientId(body, kind);
        answer.put(field, id.orElse(rawId(body, kind)));
        if (id.isEmpty()) {
            answer.put("status", "REJECTED");
            answer.put("rejectionReason", field + ": must be a UUID of 36 characters");
        } else {
            ResendingCallback.Result result = resending.resend(merchant.id(), PawapayJson.DIALECT, kind, id.get());
            answer.put("status", result.accepted() ? "ACCEPTED" : "REJECTED");
            if (!result.accepted()) {
                answer.put("rejectionReason", result.rejectionReason());
            }
        }
        ctx.json(answer);
    }

    private Optional<JsonNode> jsonObject(Context ctx, PaymentKind kind) {
        JsonBody.Read read = JsonBody.read(ctx, true);
        JsonNode body = read.node();
        if (body == null || !body.isObject()) {
            ObjectNode error = error("INVALID_INPUT", "The request body could not be parsed as a JSON object"
                    + (read.refused() ? "; " + read.problem() : ""));
            ctx.status(400).json(error);
            return Optional.empty();
        }
        return Optional.of(body);
    }

    private static String rawId(JsonNode body, PaymentKind kind) {
        JsonNode id = body.get(PawapayRequests.idField(kind));
        return id == null || id.isNull() ? null : id.asText();
    }

    private static ObjectNode creation(PaymentKind kind, String id, String status, Payment p) {
        ObjectNode o = PawapayJson.MAPPER.createObjectNode();
        o.put(PawapayRequests.idField(kind), id);
        o.put("status", status);
        o.put("created", PawapayJson.time(p.created()));
        return o;
    }

    private static ObjectNode rejected(PaymentKind kind, String id, Rejection rejection) {
        ObjectNode o = PawapayJson.MAPPER.createObjectNode();
        o.put(PawapayRequests.idField(kind), id);
        o.put("status", "REJECTED");
        ObjectNode reason = o.putObject("rejectionReason");
        reason.put("rejectionCode", PawapayFailureCodes.rejection(rejection.code()));
        reason.put("rejectionMessage", rejection.message());
        return o;
    }

    /** The answer while the database cannot be reached: nothing accepted that GET will not show; retry with the same id. */
    static ObjectNode unavailable() {
        return error("OTHER_ERROR", "The service is briefly unavailable. Nothing was accepted unless the status "
                + "endpoint shows it; send the request again with the same id.");
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode o = PawapayJson.MAPPER.createObjectNode();
        o.put("status", "REJECTED");
        ObjectNode reason = o.putObject("rejectionReason");
        reason.put("rejectionCode", code);
        reason.put("rejectionMessage", message);
        return o;
    }
}
