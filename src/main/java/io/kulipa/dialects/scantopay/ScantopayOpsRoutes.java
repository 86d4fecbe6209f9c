package io.kulipa.dialects.scantopay;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.callbacks.UrlGuard;
import io.kulipa.dialects.scantopay.notifications.ConfiguringNotifications;
import io.kulipa.payments.MerchantStore;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Routes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Operations endpoints of Scan to Pay (admin token): a merchant's profile (username, Basic or
 * Bearer, roles, suspension) and its notification URL and key, the Portal's Notifications screen.
 */
final class ScantopayOpsRoutes implements Routes {

    static final String BASE = "/ops/scantopay/merchants/{merchantId}";
    /** The bounds of a Basic password an operator chooses. */
    static final int PASSWORD_CHARS_MIN = 12;
    static final int PASSWORD_CHARS_MAX = 128;
    private final AdminGuard admin;
    private final MerchantStore merchants;
    private final ProfileStore profiles;
    private final ConfiguringNotifications notifications;
    private final UrlGuard guard;
    private final io.kulipa.dialects.scantopay.notifications.ReversalRefusals refusals;
    /** The most refused reversals one listing shows. */
    static final int REFUSALS_LISTED_MAX = 200;

    ScantopayOpsRoutes(AdminGuard admin, MerchantStore merchants, ProfileStore profiles,
                       ConfiguringNotifications notifications, UrlGuard guard,
                       io.kulipa.dialects.scantopay.notifications.ReversalRefusals refusals) {
        this.refusals = refusals;
        this.admin = admin;
        this.merchants = merchants;
        this.profiles = profiles;
        this.notifications = notifications;
        this.guard = guard;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE + "/profile", ctx -> guarded(ctx, this::profile));
        routes.put(BASE + "/profile", ctx -> guarded(ctx, this::saveProfile));
        routes.put(BASE + "/notification", ctx -> guarded(ctx, this::notification));
        routes.post(BASE + "/notification/renewKey", ctx -> guarded(ctx, this::renewKey));
        routes.get("/ops/scantopay/reversals", this::reversals);
        routes.post("/ops/scantopay/reversals/{transactionId}/retry", this::retryReversal);
    }

    private boolean refused(Context ctx) {
        if (!admin.allows(ctx)) {
            ctx.status(401).json(Map.of("errorMessage", "Authorization: the admin token is required"));
            return true;
        }
        return false;
    }

    /** The reversals the core refused and that are not done: parked ones first (failed work), then those still retried. */
    private void reversals(Context ctx) {
        if (refused(ctx)) {
            return;
        }
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (var r : refusals.refusals(REFUSALS_LISTED_MAX)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("transactionId", Long.parseLong(r.transactionId()));
            m.put("merchantId", r.merchantId().toString());
            m.put("state", r.parkedAt() == null ? "RETRYING" : "PARKED");
            m.put("attempts", r.attempts());
            m.put("lastReason", r.lastReason());
            m.put("nextAt", r.parkedAt() == null ? r.nextAt().toString() : null);
            m.put("parkedAt", r.parkedAt() == null ? null : r.parkedAt().toString());
            m.put("firstRefusedAt", r.firstRefusedAt().toString());
            out.add(m);
        }
        ctx.json(Map.of("reversals", out));
    }

    /** Gives a parked reversal another round of tries (after the operator removed the cause). */
    private void retryReversal(Context ctx) {
        if (refused(ctx)) {
            return;
        }
        String id = ctx.pathParam("transactionId");
        if (!id.matches("[0-9]{1,18}")) {
            ctx.status(400).json(Map.of("errorMessage", "transactionId: a transaction id (digits)"));
            return;
        }
        if (refusals.retry(id).isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "transactionId: no parked reversal of this transaction"));
            return;
        }
        ctx.json(Map.of("transactionId", Long.parseLong(id), "state", "RETRYING"));
    }

    private interface Action {
        void run(Context ctx, UUID merchant);
    }

    private void guarded(Context ctx, Action action) {
        if (!admin.allows(ctx)) {
            ctx.status(401).json(Map.of("errorMessage", "Authorization: the admin token is required"));
            return;
        }
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("merchantId"));
        } catch (IllegalArgumentException e) {
            ctx.status(400).json(Map.of("errorMessage", "merchantId: a merchant id (UUID)"));
            return;
        }
        if (merchants.byId(id).isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "merchantId: no such merchant"));
            return;
        }
        action.run(ctx, id);
    }

    private Optional<JsonNode> body(Context ctx) {
        JsonBody.Read read = JsonBody.read(ctx, true);
        if (read.refused() || read.absent() || !read.node().isObject()) {
            ctx.status(400).json(Map.of("errorMessage", read.refused() ? read.problem() : "body: a JSON object"));
            return Optional.empty();
        }
        return Optional.of(read.node());
    }

    private void profile(Context ctx, UUID merchant) {
        Optional<Profile> p = profiles.byMerchant(merchant);
        if (p.isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "merchantId: the merchant has no Scan to Pay profile"));
            return;
        }
        ctx.json(view(p.get()));
    }

    static Map<String, Object> view(Profile p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("merchantId", p.merchantId().toString());
        out.put("username", p.username());
        out.put("authMode", p.mode().name());
        out.put("roles", p.roles().stream().map(Enum::name).sorted().toList());
        out.put("suspended", p.suspended());
        out.put("notificationUrl", p.notificationUrl());
        out.put("hasNotificationKey", p.hasNotificationKey());
        return out;
    }

    /**
     * Sets the profile: {@code username}, {@code authMode} BASIC with {@code password} or BEARER
     * with {@code publicKeyPem}, {@code roles}; switching the mode clears the other credential.
     */
    private void saveProfile(Context ctx, UUID merchant) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        JsonNode b = body.get();
        String username = b.path("username").asText("");
        if (!username.matches("[A-Za-z0-9._@-]{3,64}")) {
            ctx.status(400).json(Map.of("errorMessage", "username: 3 to 64 letters, digits, '.', '_', '@' or '-'"));
            return;
        }
        Profile.Mode mode;
        try {
            mode = Profile.Mode.valueOf(b.path("authMode").asText(""));
        } catch (IllegalArgumentException e) {
            ctx.status(400).json(Map.of("errorMessage", "authMode: BASIC or BEARER"));
            return;
        }
        java.util.Set<Profile.Role> roles = new java.util.HashSet<>();
        JsonNode r = b.path("roles");
        if (r.isMissingNode() || r.isNull()) {
            roles.add(Profile.Role.EXTERNAL);
        } else if (!r.isArray() || r.isEmpty()) {
            ctx.status(400).json(Map.of("errorMessage", "roles: a non-empty array of EXTERNAL, STK"));
            return;
        } else {
            for (JsonNode role : r) {
                try {
                    roles.add(Profile.Role.valueOf(role.asText()));
                } catch (IllegalArgumentException e) {
                    ctx.status(400).json(Map.of("errorMessage", "roles: each EXTERNAL or STK"));
                    return;
                }
            }
        }
        String digest = null;
        String pem = null;
        String made = null;
        if (mode == Profile.Mode.BASIC) {
            JsonNode given = b.get("password");
            String password;
            if (given == null || given.isNull()) {
                // No password given: Kulipa makes one and answers it this once, as the Portal does.
                made = io.kulipa.payments.Secrets.random();
                password = made;
            } else {
                password = given.isTextual() ? given.asText() : "";
            }
            if (password.length() < PASSWORD_CHARS_MIN || password.length() > PASSWORD_CHARS_MAX) {
                ctx.status(400).json(Map.of("errorMessage", "password: " + PASSWORD_CHARS_MIN + " to "
                        + PASSWORD_CHARS_MAX + " characters, or left out for Kulipa to make one"));
                return;
            }
            digest = io.kulipa.payments.Secrets.digest(password);
        } else {
            pem = b.path("publicKeyPem").asText("");
            try {
                if (pem.length() > 4096) {
                    throw new java.security.spec.InvalidKeySpecException("too long");
                }
                Authenticating.publicKey(pem);
            } catch (java.security.GeneralSecurityException e) {
                ctx.status(400).json(Map.of("errorMessage", "publicKeyPem: an RSA public key in PEM"));
                return;
            }
        }
        Profile old = profiles.byMerchant(merchant).orElse(null);
        Profile p = new Profile(merchant, username, mode, digest, pem, roles, old != null && old.suspended(),
                old == null ? null : old.notificationUrl(), old != null && old.hasNotificationKey());
        if (!profiles.save(p)) {
            ctx.status(409).json(Map.of("errorMessage", "username: belongs to another merchant"));
            return;
        }
        if (b.path("suspended").isBoolean()) {
            profiles.suspend(merchant, b.path("suspended").asBoolean());
        }
        Map<String, Object> out = new LinkedHashMap<>(view(profiles.byMerchant(merchant).orElseThrow()));
        if (made != null) {
            out.put("password", made);
        }
        ctx.json(out);
    }

    /** Sets (or with null removes) the notification URL; a key is made the first time and answered once. */
    private void notification(Context ctx, UUID merchant) {
        Optional<JsonNode> body = body(ctx);
        if (body.isEmpty()) {
            return;
        }
        if (profiles.byMerchant(merchant).isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "merchantId: the merchant has no Scan to Pay profile"));
            return;
        }
        JsonNode url = body.get().get("url");
        String value = url == null || url.isNull() ? null : url.asText();
        if (value != null) {
            Optional<String> refused = guard.refusal(value);
            if (refused.isPresent()) {
                ctx.status(400).json(Map.of("errorMessage", "url: " + refused.get()));
                return;
            }
        }
        Optional<String> key = notifications.configure(merchant, value);
        Map<String, Object> out = new LinkedHashMap<>(view(profiles.byMerchant(merchant).orElseThrow()));
        key.ifPresent(k -> out.put("notificationKey", k));
        ctx.json(out);
    }

    private void renewKey(Context ctx, UUID merchant) {
        if (profiles.byMerchant(merchant).isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "merchantId: the merchant has no Scan to Pay profile"));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>(view(profiles.byMerchant(merchant).orElseThrow()));
        out.put("notificationKey", notifications.renewKey(merchant));
        ctx.json(out);
    }
}
