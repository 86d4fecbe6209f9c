package io.kulipa.web.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.Authenticator;
import io.kulipa.web.Routes;
import io.kulipa.web.ToolRequests;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.callbacks.CallbackAttempts;
import io.kulipa.callbacks.UrlGuard;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Operations endpoints, behind the admin token: create merchants, change their callback
 * URLs, and look at a payment's history and webhook attempts.
 */
public final class OpsRoutes implements Routes {

    private static final int MAX_NAME_LENGTH = 100;

    private final AdminGuard adminGuard;
    private final OnboardingMerchant onboarding;
    private final MerchantStore merchants;
    private final PaymentStore payments;
    private final CallbackAttempts attempts;
    private final Authenticator auth;
    private final UrlGuard guard;

    public OpsRoutes(String adminToken, OnboardingMerchant onboarding, MerchantStore merchants,
                     PaymentStore payments, CallbackAttempts attempts, Authenticator auth, UrlGuard guard) {
        this.adminGuard = new AdminGuard(adminToken);
        this.onboarding = onboarding;
        this.merchants = merchants;
        this.payments = payments;
        this.attempts = attempts;
        this.auth = auth;
        this.guard = guard;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/ops/merchants", ctx -> admin(ctx, () -> createMerchant(ctx)));
        routes.get("/ops/merchants/{id}", ctx -> admin(ctx, () -> withMerchant(ctx, m -> ctx.json(view(m)))));
        routes.put("/ops/merchants/{id}/callbacks", ctx -> admin(ctx, () -> setCallbacks(ctx)));
        routes.get("/ops/merchants/{id}/payments/{kind}/{clientRef}", ctx -> admin(ctx, () -> payment(ctx)));
    }

    private void admin(Context ctx, Runnable then) {
        if (adminGuard.allows(ctx)) {
            then.run();
        }
    }

    private void createMerchant(Context ctx) {
        Optional<JsonNode> read = ToolRequests.body(ctx);
        if (read.isEmpty()) {
            return;
        }
        JsonNode body = read.get();
        String name = body.path("name").isTextual() ? body.path("name").asText().trim() : "";
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            ctx.status(400).json(Map.of("errorMessage", "name: is required, at most " + MAX_NAME_LENGTH + " characters"));
            return;
        }
        if (merchants.byName(name).isPresent()) {
            nameTaken(ctx, name);
            return;
        }
        Map<PaymentKind, String> urls = new EnumMap<>(PaymentKind.class);
        Optional<String> bad = readCallbacks(body.path("callbackUrls"), urls);
        if (bad.isPresent()) {
            ctx.status(400).json(Map.of("errorMessage", bad.get()));
            return;
        }
        Set<String> correspondents = new HashSet<>();
        body.path("correspondents").forEach(c -> correspondents.add(c.asText()));
        OnboardingMerchant.Onboarded created;
        try {
            created = onboarding.onboard(name, correspondents, urls, null);
        } catch (MerchantStore.NameTaken taken) {
            // Another request took the name between the look-up above and this insert.
            nameTaken(ctx, name);
            return;
        }
        Map<String, Object> out = view(created.merchant());
        out.put("token", created.token());
        ctx.status(201).json(out);
    }

    private static void nameTaken(Context ctx, String name) {
        ctx.status(409).json(Map.of("errorMessage", "name: a merchant called '" + name + "' exists already"));
    }

    private void setCallbacks(Context ctx) {
        withMerchant(ctx, m -> {
            Map<PaymentKind, String> urls = new EnumMap<>(PaymentKind.class);
            Optional<JsonNode> body = ToolRequests.body(ctx);
            if (body.isEmpty()) {
                return;
            }
            Optional<String> bad = readCallbacks(body.get(), urls);
            if (bad.isPresent()) {
                ctx.status(400).json(Map.of("errorMessage", bad.get()));
                return;
            }
            urls.forEach((kind, url) -> merchants.setCallbackUrl(m.id(), kind, url.isEmpty() ? null : url));
            auth.forgetAll();
            ctx.json(view(merchants.byId(m.id()).orElseThrow()));
        });
    }

    /** Reads {"deposit": url, "payout": url, "refund": url}; an empty string clears one. */
    private Optional<String> readCallbacks(JsonNode node, Map<PaymentKind, String> into) {
        for (PaymentKind kind : PaymentKind.values()) {
            String field = kind.name().toLowerCase();
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            String url = value.asText().trim();
            if (!url.isEmpty()) {
                Optional<String> refused = guard.refusal(url);
                if (refused.isPresent()) {
                    return Optional.of("callbackUrls." + field + ": " + refused.get());
                }
            }
            into.put(kind, url);
        }
        return Optional.empty();
    }

    private void payment(Context ctx) {
        withMerchant(ctx, m -> {
            PaymentKind kind;
            try {
                kind = PaymentKind.valueOf(ctx.pathParam("kind").toUpperCase());
            } catch (IllegalArgumentException e) {
                ctx.status(400).json(Map.of("errorMessage", "kind: must be deposit, payout or refund"));
                return;
            }
            // Client ids are each dialect's own: ?dialect= picks one when several dialects used the id.
            String dialect = ctx.queryParam("dialect");
            List<io.kulipa.payments.Payment> found = payments
                    .findInEveryDialect(m.id(), kind, ctx.pathParam("clientRef").toLowerCase()).stream()
                    .filter(f -> dialect == null || f.dialect().equals(dialect)).toList();
            if (found.size() > 1) {
                ctx.status(409).json(Map.of("errorMessage", "Payments of several dialects have this id; add "
                        + "?dialect= with one of " + found.stream().map(io.kulipa.payments.Payment::dialect).toList()));
                return;
            }
            Optional<io.kulipa.payments.Payment> p = found.stream().findFirst();
            if (p.isEmpty()) {
                ctx.status(404).json(Map.of("errorMessage", "No such payment"));
                return;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("paymentId", p.get().id());
            out.put("state", p.get().state());
            out.put("history", payments.history(p.get().id()));
            out.put("webhookAttempts", attempts.forPayment(p.get().id()));
            ctx.json(out);
        });
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

    private static Map<String, Object> view(Merchant m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("merchantId", m.id());
        out.put("name", m.name());
        Map<String, String> urls = new LinkedHashMap<>();
        m.callbackUrls().forEach((k, v) -> urls.put(k.name().toLowerCase(), v));
        out.put("callbackUrls", urls);
        out.put("correspondents", m.correspondents().isEmpty() ? "ALL" : m.correspondents());
        return out;
    }
}
