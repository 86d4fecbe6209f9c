package io.kulipa.api.pawapay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.api.Authenticator;
import io.kulipa.api.Routes;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.Rejection;
import io.kulipa.payments.ResendingCallback;
import java.util.Optional;

/**
 * The pawaPay Merchant API v1 endpoints. Translation only: parse the wire format, find the
 * merchant, call a core use case, answer in pawaPay's words.
 */
public final class PawapayRoutes implements Routes {

    private final Authenticator auth;
    private final InitiatingPayment initiating;
    private final ResendingCallback resending;
    private final PaymentStore payments;

    public PawapayRoutes(Authenticator auth, InitiatingPayment initiating, ResendingCallback resending,
                         PaymentStore payments) {
        this.auth = auth;
        this.initiating = initiating;
        this.resending = resending;
        this.payments = payments;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/deposits", ctx -> initiate(ctx, PaymentKind.DEPOSIT));
        routes.get("/deposits/{id}", ctx -> find(ctx, PaymentKind.DEPOSIT));
        routes.post("/deposits/resend-callback", ctx -> resend(ctx, PaymentKind.DEPOSIT));
    }

    private void initiate(Context ctx, PaymentKind kind) {
        Optional<Merchant> merchant = authenticated(ctx);
        if (merchant.isEmpty()) {
            return;
        }
        Optional<JsonNode> body = jsonObject(ctx, kind);
        if (body.isEmpty()) {
            return;
        }
        PawapayRequests.Parsed parsed = PawapayRequests.parse(body.get(), merchant.get(), kind);
        if (parsed.rejection() != null) {
            Optional<String> id = PawapayRequests.clientId(body.get(), kind);
            Optional<Payment> existing = id.flatMap(i -> payments.find(merchant.get().id(), kind, i));
            if (existing.isPresent()) {
                // A known id is a duplicate whatever the body says; the repeat is recorded.
                payments.recordRepeat(existing.get().id(), "unparsable-as-" + parsed.rejection().code(), false);
                ctx.json(creation(kind, existing.get().clientRef(), "DUPLICATE_IGNORED", existing.get()));
                return;
            }
            ctx.json(rejected(kind, rawId(body.get(), kind), parsed.rejection()));
            return;
        }
        InitiatingPayment.Result result = initiating.initiate(parsed.request());
        ctx.json(switch (result) {
            case InitiatingPayment.Result.Accepted a -> creation(kind, a.payment().clientRef(), "ACCEPTED", a.payment());
            case InitiatingPayment.Result.Duplicate d ->
                    creation(kind, d.original().clientRef(), "DUPLICATE_IGNORED", d.original());
            case InitiatingPayment.Result.Rejected r -> rejected(kind, parsed.request().clientRef(), r.rejection());
        });
    }

    private void find(Context ctx, PaymentKind kind) {
        Optional<Merchant> merchant = authenticated(ctx);
        if (merchant.isEmpty()) {
            return;
        }
        ArrayNode list = PawapayJson.MAPPER.createArrayNode();
        String id = ctx.pathParam("id").toLowerCase();
        payments.find(merchant.get().id(), kind, id).ifPresent(p -> list.add(PawapayJson.deposit(p)));
        ctx.json(list);
    }

    private void resend(Context ctx, PaymentKind kind) {
        Optional<Merchant> merchant = authenticated(ctx);
        if (merchant.isEmpty()) {
            return;
        }
        Optional<JsonNode> body = jsonObject(ctx, kind);
        if (body.isEmpty()) {
            return;
        }
        String field = PawapayRequests.idField(kind);
        ObjectNode answer = PawapayJson.MAPPER.createObjectNode();
        Optional<String> id = PawapayRequests.clientId(body.get(), kind);
        answer.put(field, id.orElse(rawId(body.get(), kind)));
        if (id.isEmpty()) {
            answer.put("status", "REJECTED");
            answer.put("rejectionReason", field + ": must be a UUID of 36 characters");
        } else {
            ResendingCallback.Result result = resending.resend(merchant.get().id(), kind, id.get());
            answer.put("status", result.accepted() ? "ACCEPTED" : "REJECTED");
            if (!result.accepted()) {
                answer.put("rejectionReason", result.rejectionReason());
            }
        }
        ctx.json(answer);
    }

    private Optional<Merchant> authenticated(Context ctx) {
        Optional<Merchant> merchant = auth.merchant(ctx);
        if (merchant.isEmpty()) {
            ctx.status(401).json(error("AUTHENTICATION_ERROR", "The bearer token is missing or not valid"));
        }
        return merchant;
    }

    private Optional<JsonNode> jsonObject(Context ctx, PaymentKind kind) {
        JsonNode body;
        try {
            body = PawapayJson.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            ObjectNode error = error("INVALID_INPUT", "The request body could not be parsed as a JSON object");
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
        reason.put("rejectionCode", wireCode(rejection.code()));
        reason.put("rejectionMessage", rejection.message());
        return o;
    }

    /** The core has a few codes pawaPay v1 does not list; they go out as PARAMETER_INVALID. */
    static String wireCode(FailureCode code) {
        return switch (code) {
            case INVALID_CORRESPONDENT, REFUNDS_NOT_ALLOWED -> "PARAMETER_INVALID";
            default -> code.name();
        };
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
