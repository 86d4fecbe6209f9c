package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Routes;
import io.kulipa.dialects.momo.credentials.ApiUser;
import io.kulipa.dialects.momo.credentials.CallbackHost;
import io.kulipa.dialects.momo.credentials.CredentialRefusal;
import io.kulipa.dialects.momo.credentials.IssuingAccessToken;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * MTN MoMo's credentials: sandbox user provisioning ({@code /v1_0/apiuser}) and access tokens
 * ({@code /collection/token/}, {@code /disbursement/token/}, {@code /remittance/token/}).
 * Translation only: read the headers, call a core use case, answer in MoMo's words.
 */
public final class MomoRoutes implements Routes {

    /** MoMo's sandbox is the only target environment Kulipa simulates. */
    public static final String TARGET_ENVIRONMENT = "sandbox";
    static final String REFERENCE_ID_HEADER = "X-Reference-Id";
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ProvisioningApiUser provisioning;
    private final IssuingAccessToken issuing;

    private final boolean sandbox;

    /** Sandbox routes: the provisioning API is open. */
    public MomoRoutes(ProvisioningApiUser provisioning, IssuingAccessToken issuing) {
        this(provisioning, issuing, true);
    }

    /** @param sandbox false in production mode, where the sandbox provisioning API is refused */
    public MomoRoutes(ProvisioningApiUser provisioning, IssuingAccessToken issuing, boolean sandbox) {
        this.provisioning = provisioning;
        this.issuing = issuing;
        this.sandbox = sandbox;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1_0/apiuser", this::createUser);
        routes.get("/v1_0/apiuser/{id}", this::getUser);
        routes.post("/v1_0/apiuser/{id}/apikey", this::createApiKey);
        for (MomoProduct product : MomoProduct.values()) {
            routes.post("/" + product.wireName() + "/token/", ctx -> token(ctx, product));
        }
    }

    private void createUser(Context ctx) {
        if (refusedInProduction(ctx)) {
            return;
        }
        Optional<UUID> merchant = merchant(ctx);
        if (merchant.isEmpty()) {
            return;
        }
        Optional<UUID> referenceId = uuid(ctx.header(REFERENCE_ID_HEADER));
        if (referenceId.isEmpty()) {
            MomoErrors.badRequest(ctx, "The " + REFERENCE_ID_HEADER + " header must be a UUID, "
                    + "for example " + UUID.randomUUID() + "; it becomes the API user's id.");
            return;
        }
        Optional<String> host = callbackHost(ctx);
        if (host.isEmpty()) {
            JsonBody.Read read = MomoCalls.read(ctx);
            MomoErrors.badRequest(ctx, "The body must be a JSON object with providerCallbackHost, the host your "
                    + "callbacks go to, such as {\"providerCallbackHost\": \"webhook.site\"}"
                    + (read.refused() ? "; " + read.problem() : "."));
            return;
        }
        switch (provisioning.create(merchant.get(), referenceId.get(), host.get())) {
            case ProvisioningApiUser.Created.Done d -> ctx.status(201);
            case ProvisioningApiUser.Created.AlreadyExists a -> MomoErrors.alreadyExists(ctx);
            case ProvisioningApiUser.Created.InvalidCallbackHost i -> MomoErrors.badRequest(ctx,
                    "providerCallbackHost must be a host name such as webhook.site, or a URL with one, "
                            + "of at most " + CallbackHost.MAX_INPUT_CHARS + " characters.");
        }
    }

    private void getUser(Context ctx) {
        Optional<UUID> merchant = merchant(ctx);
        if (merchant.isEmpty()) {
            return;
        }
        Optional<ApiUser> user = uuid(ctx.pathParam("id")).flatMap(id -> provisioning.find(merchant.get(), id));
        if (user.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("providerCallbackHost", user.get().providerCallbackHost().host());
        body.put("targetEnvironment", TARGET_ENVIRONMENT);
        ctx.json(body);
    }

    private void createApiKey(Context ctx) {
        if (refusedInProduction(ctx)) {
            return;
        }
        Optional<UUID> merchant = merchant(ctx);
        if (merchant.isEmpty()) {
            return;
        }
        Optional<String> key = uuid(ctx.pathParam("id")).flatMap(id -> provisioning.createApiKey(merchant.get(), id));
        if (key.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        ctx.status(201).json(Map.of("apiKey", key.get()));
    }

    private void token(Context ctx, MomoProduct product) {
        String subscriptionKey = ctx.header(MomoAuth.SUBSCRIPTION_KEY_HEADER);
        if (subscriptionKey == null || subscriptionKey.isBlank()) {
            MomoErrors.accessDenied(ctx, CredentialRefusal.MISSING_SUBSCRIPTION_KEY);
            return;
        }
        Optional<String[]> basic = basic(ctx.header("Authorization"));
        if (basic.isEmpty()) {
            MomoErrors.badRequest(ctx, "The Authorization header must be 'Basic ' followed by the Base64 of "
                    + "apiUser:apiKey (the API user's id and its key from POST /v1_0/apiuser/{id}/apikey).");
            return;
        }
        switch (issuing.issue(subscriptionKey, product, basic.get()[0], basic.get()[1])) {
            case IssuingAccessToken.Result.Issued t -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("access_token", t.accessToken());
                body.put("token_type", "access_token");
                body.put("expires_in", t.expiresIn().toSeconds());
                ctx.header("Cache-Control", "no-store").json(body);
            }
            case IssuingAccessToken.Result.Refused r when r.why() == CredentialRefusal.BAD_CREDENTIALS ->
                    MomoErrors.loginFailed(ctx);
            case IssuingAccessToken.Result.Refused r -> MomoErrors.accessDenied(ctx, r.why());
        }
    }

    /** The merchant behind the subscription key of any product, or empty once a 401 has been written. */
    private Optional<UUID> merchant(Context ctx) {
        String key = ctx.header(MomoAuth.SUBSCRIPTION_KEY_HEADER);
        if (key == null || key.isBlank()) {
            MomoErrors.accessDenied(ctx, CredentialRefusal.MISSING_SUBSCRIPTION_KEY);
            return Optional.empty();
        }
        Optional<UUID> merchant = provisioning.merchantOf(key);
        if (merchant.isEmpty()) {
            MomoErrors.accessDenied(ctx, CredentialRefusal.UNKNOWN_SUBSCRIPTION_KEY);
        }
        return merchant;
    }

    /**
     * MTN provisions production API users and keys in its partner portal, not through this API,
     * and Kulipa's production users come from ops; so in production mode the sandbox provisioning
     * calls are refused, in MoMo's words, once the 403 has been written.
     */
    private boolean refusedInProduction(Context ctx) {
        if (sandbox) {
            return false;
        }
        MomoErrors.reason(ctx, 403, "NOT_ALLOWED", "API users and API keys are provisioned by the operator in "
                + "production; this provisioning API is only open in the sandbox (KULIPA_MODE=sandbox).");
        return true;
    }

    /** The body's providerCallbackHost, read strictly; empty when the body is absent, refused or lacks it. */
    private static Optional<String> callbackHost(Context ctx) {
        JsonNode body = MomoCalls.body(ctx);
        JsonNode host = body == null ? null : body.get("providerCallbackHost");
        return host != null && host.isTextual() && !host.asText().isBlank()
                ? Optional.of(host.asText()) : Optional.empty();
    }

    /** User and password of a Basic Authorization header, or empty when it is not one. */
    static Optional<String[]> basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }

    static Optional<UUID> uuid(String text) {
        return text != null && UUID_TEXT.matcher(text.trim()).matches()
                ? Optional.of(UUID.fromString(text.trim())) : Optional.empty();
    }
}
