package io.kulipa.dialects.jenga;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.logging.Failures;
import io.kulipa.dialects.jenga.credentials.IssuingAccessToken;
import io.kulipa.dialects.jenga.credentials.VerifyingSignature;
import io.kulipa.dialects.jenga.pushes.InitiatingPush;
import io.kulipa.dialects.jenga.pushes.ResendingPushCallback;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.web.Authenticator;
import io.kulipa.web.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jenga's endpoints: merchant authentication, the STK/USSD push of the spec, and Kulipa's own
 * status look-up and callback resend for a push. Translation only: authenticate, verify the
 * signature, read the body, call the use cases, answer in Jenga's words.
 */
final class JengaRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(JengaRoutes.class);

    static final String AUTHENTICATE = "/authentication/api/v3/authenticate/merchant";
    static final String PUSH = "/v3-apis/payment-api/v3.0/stkussdpush/initiate";
    /** Kulipa's own: Jenga publishes no status look-up for pushes. */
    static final String STATUS = "/v3-apis/payment-api/v3.0/stkussdpush/{ref}/status";
    static final String RESEND = "/v3-apis/payment-api/v3.0/stkussdpush/{ref}/callback";
    static final String ACKNOWLEDGED = "Transaction has been successfully acknowledged, await final transaction "
            + "status on callback";
    private static final String BAD_TOKEN = "Authorization: the bearer token is missing, malformed, expired or "
            + "not issued to a merchant";

    private final IssuingAccessToken tokens;
    private final VerifyingSignature signatures;
    private final InitiatingPush pushing;
    private final MerchantStore merchants;
    private final PaymentStore payments;
    private final ResendingPushCallback resending;
    private final JengaJson json;

    JengaRoutes(IssuingAccessToken tokens, VerifyingSignature signatures, InitiatingPush pushing,
                MerchantStore merchants, PaymentStore payments, ResendingPushCallback resending, JengaJson json) {
        this.tokens = tokens;
        this.signatures = signatures;
        this.pushing = pushing;
        this.merchants = merchants;
        this.payments = payments;
        this.resending = resending;
        this.json = json;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(AUTHENTICATE, this::authenticate);
        routes.post(PUSH, ctx -> guarded(ctx, () -> push(ctx)));
        routes.get(STATUS, ctx -> guarded(ctx, () -> status(ctx)));
        routes.post(RESEND, ctx -> guarded(ctx, () -> resend(ctx)));
    }

    /** An unexpected failure is Jenga's "Error loading service", never a stack trace. */
    private static void guarded(Context ctx, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("Jenga call {} failed: {}", ctx.endpoints().lastHttpEndpoint() == null ? "?"
                    : ctx.endpoints().lastHttpEndpoint().path, Failures.describe(e));
            JengaErrors.answer(ctx, 500, JengaErrors.SERVICE_LOADING, "Error loading service");
        }
    }

    private void authenticate(Context ctx) {
        String apiKey = ctx.header("Api-Key");
        if (apiKey == null || apiKey.isBlank()) {
            JengaErrors.unauthenticated(ctx, "Api-Key: the header is required");
            return;
        }
        Optional<JsonNode> body = JengaRequests.object(ctx,
                problem -> JengaErrors.answer(ctx, 400, JengaErrors.INVALID_BODY, problem));
        if (body.isEmpty()) {
            return;
        }
        if (!body.get().path("merchantCode").isTextual()
                || !body.get().path("consumerSecret").isTextual()) {
            JengaErrors.answer(ctx, 400, JengaErrors.INVALID_FIELD,
                    "merchantCode, consumerSecret: both are required as strings");
            return;
        }
        Optional<IssuingAccessToken.Issued> issued = tokens.issue(apiKey.trim(),
                body.get().path("merchantCode").asText(), body.get().path("consumerSecret").asText());
        if (issued.isEmpty()) {
            JengaErrors.unauthenticated(ctx, "Api-Key, merchantCode, consumerSecret: the credentials are not valid");
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accessToken", issued.get().accessToken());
        out.put("refreshToken", issued.get().refreshToken());
        out.put("expiresIn", issued.get().expiresAt().toString());
        out.put("issuedAt", issued.get().issuedAt().toString());
        out.put("tokenType", "Bearer");
        ctx.json(out);
    }

    /** The merchant of the bearer token, or a 401 answered. */
    private Optional<Merchant> merchant(Context ctx) {
        Optional<UUID> id = tokens.merchantOf(Authenticator.bearer(ctx).orElse(null));
        Optional<Merchant> merchant = id.flatMap(merchants::byId);
        if (merchant.isEmpty()) {
            JengaErrors.unauthenticated(ctx, BAD_TOKEN);
        }
        return merchant;
    }

    private void push(Context ctx) {
        Optional<Merchant> merchant = merchant(ctx);
        if (merchant.isEmpty()) {
            return;
        }
        Optional<JsonNode> body = JengaRequests.object(ctx, problem -> JengaErrors.answer(ctx, 400,
                JengaErrors.INVALID_BODY, problem + " (a JSON object with merchant and payment)"));
        if (body.isEmpty()) {
            return;
        }
        Optional<String> badSignature = signatures.refusal(merchant.get().id(), JengaRequests.signedText(body.get()),
                ctx.header("Signature"));
        if (badSignature.isPresent()) {
            JengaErrors.answer(ctx, 401, JengaErrors.BAD_SIGNATURE, badSignature.get());
            return;
        }
        JengaRequests.Parsed parsed = JengaRequests.parse(body.get());
        if (parsed.invalid() != null) {
            // A reference already used answers so whatever else the body says (the core's rule).
            if (pushing.repeats(merchant.get(), JengaRequests.raw(body.get(), "payment", "ref"),
                    parsed.invalid().field())) {
                duplicate(ctx);
            } else {
                JengaErrors.invalid(ctx, parsed.invalid().field(), parsed.invalid().rule());
            }
            return;
        }
        answer(ctx, pushing.initiate(merchant.get(), parsed.push()));
    }

    private static void answer(Context ctx, InitiatingPush.Result result) {
        switch (result) {
            case InitiatingPush.Result.Accepted a -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("status", true);
                out.put("code", -1);
                out.put("message", ACKNOWLEDGED);
                out.put("reference", a.payment().clientRef());
                out.put("transactionId", a.payment().clientRef());
                ctx.json(out);
            }
            case InitiatingPush.Result.DuplicateReference d -> duplicate(ctx);
            case InitiatingPush.Result.InvalidField f -> JengaErrors.invalid(ctx, f.field(), f.message());
            case InitiatingPush.Result.TelcoNotAuthorised t ->
                    JengaErrors.answer(ctx, 401, JengaErrors.TELCO_NOT_AUTHORISED, JengaErrors.TELCO_MESSAGE);
            case InitiatingPush.Result.NotStarted n ->
                    JengaErrors.answer(ctx, 200, JengaErrors.PUSH_NOT_STARTED, JengaErrors.PUSH_NOT_STARTED_MESSAGE);
            case InitiatingPush.Result.Unmapped u -> {
                LOG.warn("a push was refused by a core rule with no Jenga field");
                JengaErrors.answer(ctx, 500, JengaErrors.SERVICE_MAPPING, "Error mapping service");
            }
        }
    }

    private static void duplicate(Context ctx) {
        JengaErrors.answer(ctx, 400, JengaErrors.DUPLICATE_REFERENCE, JengaErrors.DUPLICATE_MESSAGE);
    }

    private Optional<Payment> push(Context ctx, Merchant merchant) {
        Optional<Payment> found = payments.find(merchant.id(), JengaJson.DIALECT, PaymentKind.DEPOSIT, ctx.pathParam("ref"))
                .filter(p -> JengaJson.DIALECT.equals(p.dialect()));
        if (found.isEmpty()) {
            JengaErrors.answer(ctx, 404, JengaErrors.NOT_FOUND, "ref: no push with this reference");
        }
        return found;
    }

    private void status(Context ctx) {
        merchant(ctx).flatMap(m -> push(ctx, m)).ifPresent(p -> ctx.json(json.result(p)));
    }

    private void resend(Context ctx) {
        Optional<Merchant> merchant = merchant(ctx);
        Optional<Payment> push = merchant.flatMap(m -> push(ctx, m));
        if (push.isEmpty()) {
            return;
        }
        ResendingPushCallback.Result result = resending.resend(push.get());
        if (!result.accepted()) {
            JengaErrors.answer(ctx, 409, JengaErrors.RESEND_REFUSED, result.rejectionReason());
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", true);
        out.put("code", -1);
        out.put("message", "The callback will be sent again to the push's callBackUrl");
        out.put("reference", push.get().clientRef());
        ctx.status(202).json(out);
    }
}
