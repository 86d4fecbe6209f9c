package io.kulipa.web.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.ussd.RegisteringUssdApplication;
import io.kulipa.ussd.UssdApplication;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.Routes;
import io.kulipa.web.ToolRequests;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Operations register USSD applications on the gateway behind the admin token:
 * {@code POST /ops/ussd/applications} with {@code {"serviceCode": "*120*777#", "callbackUrl": ...}},
 * list them, read one and remove one (its sessions go with it).
 */
public final class UssdOpsRoutes implements Routes {

    private final AdminGuard admin;
    private final RegisteringUssdApplication registering;

    public UssdOpsRoutes(AdminGuard admin, RegisteringUssdApplication registering) {
        this.admin = admin;
        this.registering = registering;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/ops/ussd/applications", ctx -> {
            if (admin.allows(ctx)) {
                create(ctx);
            }
        });
        routes.get("/ops/ussd/applications", ctx -> {
            if (admin.allows(ctx)) {
                ctx.json(Map.of("applications", registering.list().stream().map(UssdOpsRoutes::view).toList()));
            }
        });
        routes.get("/ops/ussd/applications/{applicationId}", ctx -> {
            if (admin.allows(ctx)) {
                withId(ctx, id -> registering.find(id).ifPresentOrElse(a -> ctx.json(view(a)), () -> notFound(ctx)));
            }
        });
        routes.delete("/ops/ussd/applications/{applicationId}", ctx -> {
            if (admin.allows(ctx)) {
                withId(ctx, id -> {
                    if (registering.remove(id)) {
                        ctx.status(204);
                    } else {
                        notFound(ctx);
                    }
                });
            }
        });
    }

    private void create(Context ctx) {
        Optional<JsonNode> read = ToolRequests.body(ctx);
        if (read.isEmpty()) {
            return;
        }
        JsonNode body = read.get();
        for (String field : new String[] {"serviceCode", "callbackUrl", "name", "merchantId"}) {
            if (body.has(field) && !body.get(field).isTextual() && !body.get(field).isNull()) {
                ctx.status(400).json(Map.of("errorMessage", field + ": must be a string"));
                return;
            }
        }
        UUID merchant = null;
        String merchantText = text(body, "merchantId");
        if (merchantText != null) {
            try {
                merchant = UUID.fromString(merchantText);
            } catch (IllegalArgumentException e) {
                ctx.status(400).json(Map.of("errorMessage", "merchantId: must be a UUID"));
                return;
            }
        }
        if (text(body, "serviceCode") == null) {
            ctx.status(400).json(Map.of("errorMessage", "serviceCode: is required, such as \"*120*777#\""));
            return;
        }
        switch (registering.register(text(body, "serviceCode"), text(body, "callbackUrl"), text(body, "name"),
                merchant)) {
            case RegisteringUssdApplication.Result.Registered r -> ctx.status(201).json(view(r.application()));
            case RegisteringUssdApplication.Result.Refused r -> ctx.status(400).json(Map.of("errorMessage", r.message()));
            case RegisteringUssdApplication.Result.CodeTaken r -> ctx.status(409).json(Map.of("errorMessage", r.message()));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void withId(Context ctx, java.util.function.Consumer<UUID> then) {
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("applicationId"));
        } catch (IllegalArgumentException e) {
            ctx.status(400).json(Map.of("errorMessage", "applicationId: must be a UUID"));
            return;
        }
        then.accept(id);
    }

    private static void notFound(Context ctx) {
        ctx.status(404).json(Map.of("errorMessage", "applicationId: no USSD application has this id"));
    }

    static Map<String, Object> view(UssdApplication a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("applicationId", a.id().toString());
        out.put("serviceCode", a.serviceCode());
        out.put("callbackUrl", a.callbackUrl());
        out.put("name", a.name());
        out.put("merchantId", a.merchantId() == null ? null : a.merchantId().toString());
        out.put("created", a.created().toString());
        return out;
    }
}
