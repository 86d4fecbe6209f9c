package io.kulipa.dialects.pawapay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.dialects.pawapay.paymentpage.StartingPaymentPageSession;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Rejection;
import io.kulipa.signatures.VerifyingSignedRequest;
import io.kulipa.web.Authenticator;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Routes;
import io.kulipa.web.SignedRequests;
import java.util.Optional;

/**
 * {@code POST /v1/widget/sessions}: pawaPay's "Deposit via Payment Page". Answers 200
 * {@code {"redirectUrl": ...}} for a session; a request that breaks a rule gets HTTP 400 with the
 * rejection of a deposit ({@code depositId, status: REJECTED, rejectionReason}), the same codes
 * and messages naming the field, and nothing is written.
 */
public final class PaymentPageApiRoutes implements Routes {

    /** Where the hosted page is, under the gateway's public URL. */
    public static final String PAGE_PATH = "/pay/";

    private final Authenticator auth;
    private final StartingPaymentPageSession starting;
    private final VerifyingSignedRequest signed;
    private final String publicUrl;

    /** @param publicUrl the gateway's URL as customers' browsers reach it, or null to use the request's own host */
    public PaymentPageApiRoutes(Authenticator auth, StartingPaymentPageSession starting, VerifyingSignedRequest signed,
                                String publicUrl) {
        this.auth = auth;
        this.starting = starting;
        this.signed = signed;
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1/widget/sessions", this::create);
    }

    private void create(Context ctx) {
        Optional<Merchant> merchant = auth.merchant(ctx);
        if (merchant.isEmpty()) {
            ctx.status(401).json(error(null, "AUTHENTICATION_ERROR", "The bearer token is missing or not valid"));
            return;
        }
        // The deposit it leads to is a financial request: signed once the merchant asks for that.
        Optional<String> refusal = signed.refusal(merchant.get().id(), SignedRequests.message(ctx), ctx.bodyAsBytes());
        if (refusal.isPresent()) {
            ctx.status(403).json(error(null, "HTTP_SIGNATURE_ERROR", "Only signed financial requests are accepted "
                    + "for this account and this one could not be verified: " + refusal.get()));
            return;
        }
        JsonBody.Read read = JsonBody.read(ctx, true);
        JsonNode body = read.node();
        if (body == null || !body.isObject()) {
            ctx.status(400).json(error(null, "INVALID_INPUT", "The request body could not be parsed as a JSON object"
                    + (read.refused() ? "; " + read.problem() : "")));
            return;
        }
        PawapayRequests.ParsedSession parsed = PawapayRequests.parseSession(body, merchant.get());
        if (parsed.rejection() != null) {
            JsonNode id = body.get("depositId");
            ctx.status(400).json(rejected(id == null || id.isNull() ? null : id.asText(), parsed.rejection()));
            return;
        }
        switch (starting.start(parsed.request())) {
            case StartingPaymentPageSession.Result.Started s -> {
                ObjectNode out = PawapayJson.MAPPER.createObjectNode();
                out.put("redirectUrl", base(ctx) + PAGE_PATH + s.token());
                ctx.json(out);
            }
            case StartingPaymentPageSession.Result.Rejected r ->
                    ctx.status(400).json(rejected(parsed.request().depositId(), r.rejection()));
        }
    }

    private String base(Context ctx) {
        return publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host();
    }

    private static ObjectNode rejected(String depositId, Rejection rejection) {
        return error(depositId, PawapayFailureCodes.rejection(rejection.code()), rejection.message());
    }

    private static ObjectNode error(String depositId, String code, String message) {
        ObjectNode o = PawapayJson.MAPPER.createObjectNode();
        if (depositId != null) {
            o.put("depositId", depositId);
        }
        o.put("status", "REJECTED");
        ObjectNode reason = o.putObject("rejectionReason");
        reason.put("rejectionCode", code);
        reason.put("rejectionMessage", message);
        return o;
    }
}
