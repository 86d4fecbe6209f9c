package io.kulipa.dialects.jenga;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.dialects.jenga.credentials.GrantingJengaCredentials;
import io.kulipa.dialects.jenga.settlement.SettlementDecision;
import io.kulipa.dialects.jenga.settlement.SettlingSuspense;
import io.kulipa.payments.MerchantStore;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.Routes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Operations on a merchant's Jenga credentials (admin token): grant them, register or replace
 * the public key, rotate the consumer secret. Clear secrets are answered once and never stored.
 */
final class JengaOpsRoutes implements Routes {

    static final String BASE = "/ops/merchants/{id}/jenga";
    /** A merchant is given a handful of account numbers at a time, not thousands. */
    private static final int ACCOUNTS_PER_CALL_MAX = 20;

    private final AdminGuard admin;
    private final MerchantStore merchants;
    private final GrantingJengaCredentials granting;
    private final SettlingSuspense settling;

    JengaOpsRoutes(AdminGuard admin, MerchantStore merchants, GrantingJengaCredentials granting,
                   SettlingSuspense settling) {
        this.admin = admin;
        this.merchants = merchants;
        this.granting = granting;
        this.settling = settling;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.put(BASE + "/credentials", ctx -> withMerchant(ctx, id -> grant(ctx, id)));
        routes.put(BASE + "/public-key", ctx -> withMerchant(ctx, id -> publicKey(ctx, id)));
        routes.post(BASE + "/consumer-secret", ctx -> withMerchant(ctx, id -> rotate(ctx, id)));
        routes.get(BASE + "/credentials", ctx -> withMerchant(ctx, id -> view(ctx, id)));
        routes.post(BASE + "/pushes/{ref}/settle", ctx -> withMerchant(ctx, id -> decide(ctx, id,
                SettlementDecision.SETTLED)));
        routes.post(BASE + "/pushes/{ref}/return", ctx -> withMerchant(ctx, id -> decide(ctx, id,
                SettlementDecision.RETURNED)));
    }

    /** Settles or returns a push held in settlement suspense (callback code 2 or 4). */
    private void decide(Context ctx, UUID id, SettlementDecision decision) {
        switch (settling.decide(id, ctx.pathParam("ref"), decision)) {
            case DONE -> ctx.json(Map.of("ref", ctx.pathParam("ref"), "decision", decision.name()));
            case NOT_FOUND -> ctx.status(404).json(Map.of("errorMessage", "ref: no push of this merchant with this reference"));
            case NOT_IN_SUSPENSE -> ctx.status(409).json(Map.of("errorMessage",
                    "ref: the push is not held in settlement suspense (callback code 2 or 4)"));
            case ALREADY_DECIDED -> ctx.status(409).json(Map.of("errorMessage",
                    "ref: the push was settled or returned before"));
        }
    }

    private void withMerchant(Context ctx, java.util.function.Consumer<UUID> then) {
        if (!admin.allows(ctx)) {
            return;
        }
        Optional<UUID> id;
        try {
            id = Optional.of(UUID.fromString(ctx.pathParam("id"))).filter(u -> merchants.byId(u).isPresent());
        } catch (IllegalArgumentException e) {
            id = Optional.empty();
        }
        if (id.isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "id: no merchant with this id"));
            return;
        }
        then.accept(id.get());
    }

    private void grant(Context ctx, UUID id) {
        Optional<JsonNode> read = JengaRequests.object(ctx,
                problem -> ctx.status(400).json(Map.of("errorMessage", problem)));
        if (read.isEmpty()) {
            return;
        }
        JsonNode body = read.get();
        List<String> accounts = new java.util.ArrayList<>();
        body.path("accountNumbers").forEach(a -> accounts.add(a.asText()));
        if (accounts.size() > ACCOUNTS_PER_CALL_MAX) {
            ctx.status(400).json(Map.of("errorMessage", "accountNumbers: at most " + ACCOUNTS_PER_CALL_MAX));
            return;
        }
        GrantingJengaCredentials.Result result = granting.grant(id, text(body, "merchantCode"), text(body, "apiKey"),
                text(body, "consumerSecret"), text(body, "publicKey"));
        if (result.refusal() != null) {
            ctx.status(400).json(Map.of("errorMessage", result.refusal().field() + ": " + result.refusal().message()));
            return;
        }
        for (String account : accounts) {
            Optional<GrantingJengaCredentials.Refusal> refused = granting.addAccount(id, account);
            if (refused.isPresent()) {
                ctx.status(400).json(Map.of("errorMessage", refused.get().field() + ": " + refused.get().message()));
                return;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("merchantCode", result.granted().merchantCode());
        out.put("apiKey", result.granted().apiKey());
        out.put("consumerSecret", result.granted().consumerSecret());
        out.put("accountNumbers", granting.accounts(id));
        ctx.json(out);
    }

    private void publicKey(Context ctx, UUID id) {
        Optional<JsonNode> read = JengaRequests.object(ctx,
                problem -> ctx.status(400).json(Map.of("errorMessage", problem)));
        if (read.isEmpty()) {
            return;
        }
        JsonNode body = read.get();
        Optional<GrantingJengaCredentials.Refusal> refused = granting.replacePublicKey(id, text(body, "publicKey"));
        if (refused.isPresent()) {
            ctx.status(400).json(Map.of("errorMessage", refused.get().field() + ": " + refused.get().message()));
            return;
        }
        ctx.status(204);
    }

    private void rotate(Context ctx, UUID id) {
        Optional<String> secret = granting.rotateSecret(id);
        if (secret.isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "id: the merchant has no Jenga credentials yet"));
            return;
        }
        ctx.json(Map.of("consumerSecret", secret.get()));
    }

    /** What is stored, without a secret: the code, the accounts and whether a public key is registered. */
    private void view(Context ctx, UUID id) {
        var credentials = granting.credentials(id);
        if (credentials.isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "id: the merchant has no Jenga credentials yet"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("merchantCode", credentials.get().merchantCode());
        out.put("publicKeyRegistered", credentials.get().publicKeyPem() != null);
        out.put("accountNumbers", granting.accounts(id));
        ctx.json(out);
    }

    private static String text(JsonNode body, String field) {
        return body.path(field).isTextual() ? body.path(field).asText() : null;
    }
}
