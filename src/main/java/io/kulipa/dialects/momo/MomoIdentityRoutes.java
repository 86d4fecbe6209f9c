package io.kulipa.dialects.momo;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.Routes;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.dialects.momo.credentials.CredentialRefusal;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.dialects.momo.consent.ReadingCustomerIdentity;
import io.kulipa.dialects.momo.consent.RedeemingConsent;
import io.kulipa.dialects.momo.consent.RequestingConsent;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.CustomerApprovals;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MoMo's KYC as a service for every product: the consent flow (OpenID CIBA:
 * {@code bc-authorize}, then {@code oauth2/token/} polled with the auth_req_id, then
 * {@code oauth2/v1_0/userinfo}) and {@code accountholder/msisdn/{msisdn}/basicuserinfo}.
 * Translation only; auth_req_ids and tokens are answered once and never logged.
 */
public final class MomoIdentityRoutes implements Routes {

    static final String CIBA_GRANT = "urn:openid:params:grant-type:ciba";
    private static final Pattern LOGIN_HINT = Pattern.compile("ID:([0-9]{6,15})/MSISDN", Pattern.CASE_INSENSITIVE);
    private static final Set<String> SCOPES = Set.of("openid", "profile");
    private static final Set<String> ACCESS_TYPES = Set.of("online", "offline");
    private static final int FORM_FIELD_MAX_CHARS = 256;

    private final CheckingAccountHolder accountHolders = new CheckingAccountHolder();
    private final MomoCalls calls;
    private final MerchantStore merchants;
    private final RequestingConsent requesting;
    private final RedeemingConsent redeeming;
    private final ReadingCustomerIdentity reading;

    public MomoIdentityRoutes(MomoAuth auth, ProvisioningApiUser users, MerchantStore merchants,
                              RequestingConsent requesting, RedeemingConsent redeeming,
                              ReadingCustomerIdentity reading, Catalog catalog) {
        this.calls = new MomoCalls(auth, users, new MomoEnvironments(catalog));
        this.merchants = merchants;
        this.requesting = requesting;
        this.redeeming = redeeming;
        this.reading = reading;
    }

    @Override
    public void register(RoutesConfig routes) {
        for (MomoProduct p : MomoProduct.values()) {
            String base = "/" + p.wireName();
            routes.post(base + "/v1_0/bc-authorize", calls.handler(p, (ctx, call) -> authorize(ctx, call, p)));
            routes.post(base + "/oauth2/token/", ctx -> token(ctx, p));
            routes.get(base + "/oauth2/v1_0/userinfo", ctx -> userInfo(ctx, p));
            routes.get(base + "/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo",
                    calls.handler(p, (ctx, call) -> basicUserInfo(ctx, call, p)));
        }
    }

    private void authorize(Context ctx, MomoCalls.Call call, MomoProduct product) {
        MomoCalls.Callback callback = calls.callbackUrl(ctx, call.caller());
        if (callback.refused()) {
            return;
        }
        String hint = form(ctx, "login_hint");
        Matcher m = hint == null ? null : LOGIN_HINT.matcher(hint.trim());
        if (m == null || !m.matches()) {
            MomoErrors.badRequest(ctx, "login_hint: is required as ID:{msisdn}/MSISDN, for example "
                    + "ID:46733123453/MSISDN");
            return;
        }
        String msisdn = m.group(1);
        String scope = form(ctx, "scope");
        List<String> scopes = scope == null ? List.of() : List.of(scope.trim().split("\\s+"));
        if (scopes.isEmpty() || !scopes.contains("profile") || !SCOPES.containsAll(scopes)) {
            MomoErrors.badRequest(ctx, "scope: must be 'profile' (or 'openid profile'); Kulipa's simulated "
                    + "operators share the customer's profile only");
            return;
        }
        String accessType = form(ctx, "access_type");
        accessType = accessType == null || accessType.isBlank() ? "online" : accessType.trim();
        if (!ACCESS_TYPES.contains(accessType)) {
            MomoErrors.badRequest(ctx, "access_type: must be online or offline, not '" + accessType + "'");
            return;
        }
        if (!accountHolders.holds(call.environment(), msisdn)) {
            accountHolderNotFound(ctx, msisdn, call.environment());
            return;
        }
        Optional<Merchant> merchant = merchants.byId(call.caller().merchantId());
        if (merchant.isEmpty()) {
            MomoErrors.reason(ctx, 500, "INTERNAL_PROCESSING_ERROR", "The merchant of this subscription key is gone.");
            return;
        }
        RequestingConsent.Requested r = requesting.request(new RequestingConsent.NewConsent(merchant.get().id(),
                merchant.get().name(), call.caller().apiUserId(), product, msisdn, String.join(" ", scopes),
                accessType, callback.url()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("auth_req_id", r.authReqId());
        body.put("interval", r.interval().toSeconds());
        body.put("expires_in", r.expiresIn().toSeconds());
        ctx.header("Cache-Control", "no-store").json(body);
    }

    private void token(Context ctx, MomoProduct product) {
        String subscriptionKey = ctx.header(MomoAuth.SUBSCRIPTION_KEY_HEADER);
        if (subscriptionKey == null || subscriptionKey.isBlank()) {
            MomoErrors.accessDenied(ctx, CredentialRefusal.MISSING_SUBSCRIPTION_KEY);
            return;
        }
        Optional<String[]> basic = MomoRoutes.basic(ctx.header("Authorization"));
        if (basic.isEmpty()) {
            MomoErrors.badRequest(ctx, "The Authorization header must be 'Basic ' followed by the Base64 of "
                    + "apiUser:apiKey, as for POST /" + product.wireName() + "/token/.");
            return;
        }
        if (!CIBA_GRANT.equals(form(ctx, "grant_type"))) {
            oauthError(ctx, "unsupported_grant_type", "grant_type: must be " + CIBA_GRANT);
            return;
        }
        ctx.header("Cache-Control", "no-store");
        switch (redeeming.redeem(subscriptionKey, product, basic.get()[0], basic.get()[1],
                form(ctx, "auth_req_id"))) {
            case RedeemingConsent.Result.Refused r when r.why() == CredentialRefusal.BAD_CREDENTIALS ->
                    MomoErrors.loginFailed(ctx);
            case RedeemingConsent.Result.Refused r -> MomoErrors.accessDenied(ctx, r.why());
            case RedeemingConsent.Result.InvalidGrant i -> oauthError(ctx, "invalid_grant",
                    "auth_req_id: unknown to this API user and product, or already exchanged for a token");
            case RedeemingConsent.Result.Pending p -> oauthError(ctx, "authorization_pending",
                    "The customer has not answered yet; poll again after the interval.");
            case RedeemingConsent.Result.Denied d -> oauthError(ctx, "access_denied",
                    "The customer did not consent.");
            case RedeemingConsent.Result.Expired e -> oauthError(ctx, "expired_token",
                    "The customer did not answer in time; ask again with bc-authorize.");
            case RedeemingConsent.Result.Issued t -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("access_token", t.accessToken());
                body.put("token_type", "Bearer");
                body.put("expires_in", t.expiresIn().toSeconds());
                body.put("scope", t.scope());
                body.put("refresh_token", t.refreshToken());
                body.put("refresh_token_expired_in", t.refreshExpiresIn().toSeconds());
                ctx.json(body);
            }
        }
    }

    private void userInfo(Context ctx, MomoProduct product) {
        if (calls.environment(ctx).isEmpty()) {
            return;
        }
        switch (reading.withConsent(ctx.header(MomoAuth.SUBSCRIPTION_KEY_HEADER), product, MomoAuth.bearer(ctx))) {
            case ReadingCustomerIdentity.Result.Refused r -> MomoErrors.accessDenied(ctx, r.why());
            case ReadingCustomerIdentity.Result.Found f -> {
                CustomerApprovals.Profile p = f.profile();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("sub", p.msisdn());
                body.put("name", p.name());
                body.put("given_name", p.givenName());
                body.put("family_name", p.familyName());
                body.put("gender", p.gender());
                body.put("birthdate", p.birthDate().toString());
                body.put("locale", p.locale());
                body.put("phone_number", p.msisdn());
                body.put("phone_number_verified", true);
                body.put("status", "ACTIVE");
                body.put("active", true);
                ctx.json(body);
            }
        }
    }

    private void basicUserInfo(Context ctx, MomoCalls.Call call, MomoProduct product) {
        String msisdn = ctx.pathParam("msisdn");
        if (!accountHolders.holds(call.environment(), msisdn)) {
            accountHolderNotFound(ctx, msisdn, call.environment());
            return;
        }
        CustomerApprovals.Profile p = reading.basic(msisdn);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("given_name", p.givenName());
        body.put("family_name", p.familyName());
        body.put("birthdate", p.birthDate().toString());
        body.put("locale", p.locale());
        body.put("gender", p.gender());
        body.put("status", "ACTIVE");
        ctx.json(body);
    }

    private static void accountHolderNotFound(Context ctx, String msisdn, MomoEnvironments.Environment env) {
        MomoErrors.reason(ctx, 404, MomoErrors.RESOURCE_NOT_FOUND, "No account holder with MSISDN '" + msisdn
                + "' in the target environment " + env.name() + ".");
    }

    /** OpenID's error body, as MoMo's token endpoint answers it. */
    private static void oauthError(Context ctx, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        ctx.status(400).json(body);
    }

    /**
     * A form field, bounded; null when absent or too long to be one of ours. A body the servlet
     * cannot read as a form (a multipart body without its parts, an unknown charset) has no fields:
     * Jetty throws a checked ServletException through Javalin for it, hence the wide catch.
     */
    private static String form(Context ctx, String field) {
        String value;
        try {
            value = ctx.formParam(field);
        } catch (Exception e) {
            return null;
        }
        return value == null || value.length() > FORM_FIELD_MAX_CHARS ? null : value;
    }
}
