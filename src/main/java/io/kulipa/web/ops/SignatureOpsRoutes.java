package io.kulipa.web.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.signatures.ConfiguringSignatures;
import io.kulipa.signatures.MerchantSignatures;
import io.kulipa.signatures.SignatureAlgorithm;
import io.kulipa.signatures.SignatureKeys;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.Routes;
import io.kulipa.web.ToolRequests;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A merchant's signatures, behind the admin token: {@code GET /ops/merchants/{id}/signatures}
 * shows them with Kulipa's callback-signing public key for the merchant; {@code PUT} sets the
 * merchant's public key ({@code publicKey}, PEM; null removes it), {@code onlySignedRequests}
 * (deposits, payouts and refunds must then be signed) and {@code signCallbacks}.
 */
public final class SignatureOpsRoutes implements Routes {

    private static final Set<String> FIELDS = Set.of("publicKey", "onlySignedRequests", "signCallbacks");

    private final AdminGuard admin;
    private final MerchantStore merchants;
    private final ConfiguringSignatures configuring;

    public SignatureOpsRoutes(AdminGuard admin, MerchantStore merchants, ConfiguringSignatures configuring) {
        this.admin = admin;
        this.merchants = merchants;
        this.configuring = configuring;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/ops/merchants/{id}/signatures", ctx -> {
            if (admin.allows(ctx)) {
                withMerchant(ctx, m -> ctx.json(view(configuring.settings(m.id()))));
            }
        });
        routes.put("/ops/merchants/{id}/signatures", ctx -> {
            if (admin.allows(ctx)) {
                withMerchant(ctx, m -> change(ctx, m));
            }
        });
    }

    private void change(Context ctx, Merchant merchant) {
        Optional<JsonNode> body = ToolRequests.body(ctx);
        if (body.isEmpty()) {
            return;
        }
        JsonNode b = body.get();
        for (var names = b.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                badRequest(ctx, name + ": is not a field of this body (publicKey, onlySignedRequests, signCallbacks)");
                return;
            }
        }
        JsonNode key = b.get("publicKey");
        if (key != null && !key.isNull() && !key.isTextual()) {
            badRequest(ctx, "publicKey: must be a string (PEM) or null");
            return;
        }
        Optional<Boolean> only = flag(ctx, b, "onlySignedRequests");
        Optional<Boolean> sign = only == null ? null : flag(ctx, b, "signCallbacks");
        if (only == null || sign == null) {
            return;
        }
        ConfiguringSignatures.Result result = configuring.change(merchant.id(), new ConfiguringSignatures.Change(
                key != null && key.isTextual() ? key.asText() : null, key != null && key.isNull(), only.orElse(null),
                sign.orElse(null)));
        switch (result) {
            case ConfiguringSignatures.Result.Saved s -> ctx.json(view(s.settings()));
            case ConfiguringSignatures.Result.Refused r -> badRequest(ctx, r.field() + ": " + r.problem());
        }
    }

    /** The flag's value, empty when absent, or null when it is not a boolean (answered 400). */
    private static Optional<Boolean> flag(Context ctx, JsonNode body, String name) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            badRequest(ctx, name + ": must be true or false");
            return null;
        }
        return Optional.of(v.booleanValue());
    }

    private static Map<String, Object> view(MerchantSignatures.Settings s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("merchantId", s.merchantId());
        out.put("publicKey", s.publicKey());
        out.put("publicKeyAlgorithms", s.publicKey() == null ? null : SignatureKeys.publicKey(s.publicKey())
                .map(k -> java.util.Arrays.stream(SignatureAlgorithm.values()).filter(a -> a.fits(k))
                        .map(SignatureAlgorithm::wireName).toList()).orElse(null));
        out.put("onlySignedRequests", s.onlySignedRequests());
        out.put("signCallbacks", s.signCallbacks());
        out.put("callbackKeyId", s.callbackKeyId());
        out.put("callbackAlgorithm", SignatureKeys.CALLBACK_ALGORITHM.wireName());
        out.put("callbackPublicKey", s.callbackPublicKey());
        return out;
    }

    private void withMerchant(Context ctx, java.util.function.Consumer<Merchant> then) {
        Optional<Merchant> m;
        try {
            m = merchants.byId(UUID.fromString(ctx.pathParam("id")));
        } catch (IllegalArgumentException e) {
            m = Optional.empty();
        }
        if (m.isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "No merchant with that id"));
            return;
        }
        then.accept(m.get());
    }

    private static void badRequest(Context ctx, String message) {
        ctx.status(400).json(Map.of("errorMessage", message));
    }
}
