package io.kulipa.dialects.scantopay.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.dialects.scantopay.remote.managers.GrantingManagerCredentials;
import io.kulipa.dialects.scantopay.remote.managers.ManagerStore;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Routes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Operations on wallet brands (admin token): add a brand, list them, and set a brand's manager
 * profile in BASIC or BEARER mode (switching clears the other mode's credential; a BASIC
 * password is answered once, in clear, and kept only as a digest).
 */
final class RemoteOpsRoutes implements Routes {

    static final String BRANDS = "/ops/scantopay-remote/brands";
    static final String MANAGER = BRANDS + "/{id}/manager";
    /** The inputs a code asks a wallet for before it can be paid (NEED_INPUT until given). */
    static final String CODE_INPUTS = "/ops/scantopay-remote/codes/{code}/inputs";
    /** An operations list, not a report: the first this many brands. */
    static final int BRANDS_LISTED_MAX = 200;
    private static final int NAME_MAX_CHARS = 64;

    private final AdminGuard admin;
    private final ManagerStore store;
    private final GrantingManagerCredentials granting;
    private final Clock clock;
    private final java.util.function.BiFunction<String, List<String>, java.util.Optional<String>> requireInputs;

    RemoteOpsRoutes(AdminGuard admin, ManagerStore store, GrantingManagerCredentials granting, Clock clock,
                    java.util.function.BiFunction<String, List<String>, java.util.Optional<String>> requireInputs) {
        this.requireInputs = requireInputs;
        this.admin = admin;
        this.store = store;
        this.granting = granting;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(BRANDS, ctx -> guarded(ctx, () -> add(ctx)));
        routes.get(BRANDS, ctx -> guarded(ctx, () -> list(ctx)));
        routes.put(MANAGER, ctx -> guarded(ctx, () -> manager(ctx)));
        routes.put(CODE_INPUTS, ctx -> guarded(ctx, () -> codeInputs(ctx)));
    }

    private void guarded(Context ctx, Runnable then) {
        if (admin.allows(ctx)) {
            then.run();
        }
    }

    private static JsonNode body(Context ctx) {
        JsonBody.Read read = JsonBody.read(ctx, true);
        String problem = read.refused() ? read.problem() : read.absent() ? "body: required, a JSON object"
                : !read.node().isObject() ? "body: must be a JSON object" : null;
        if (problem != null) {
            ctx.status(400).json(Map.of("errorMessage", problem));
            return null;
        }
        return read.node();
    }

    private void add(Context ctx) {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        JsonNode n = body.path("name");
        if (!n.isTextual() || n.asText().isBlank() || n.asText().strip().length() > NAME_MAX_CHARS) {
            ctx.status(400).json(Map.of("errorMessage", "name: required, 1 to " + NAME_MAX_CHARS + " characters"));
            return;
        }
        var brand = new ManagerStore.Brand(UUID.randomUUID(), n.asText().strip(), clock.instant());
        if (!store.addBrand(brand)) {
            ctx.status(409).json(Map.of("errorMessage", "name: a wallet brand with this name exists"));
            return;
        }
        ctx.status(201).json(view(brand));
    }

    private Map<String, Object> view(ManagerStore.Brand b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", b.id().toString());
        out.put("name", b.name());
        out.put("createdAt", b.createdAt().toString());
        store.manager(b.id()).ifPresent(m -> {
            out.put("username", m.username());
            out.put("authMode", m.mode().name());
        });
        return out;
    }

    private void list(Context ctx) {
        List<Map<String, Object>> out = store.brands(BRANDS_LISTED_MAX).stream().map(this::view).toList();
        ctx.json(Map.of("brands", out));
    }

    private void manager(Context ctx) {
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            ctx.status(404).json(Map.of("errorMessage", "id: no wallet brand with this id"));
            return;
        }
        if (store.brand(id).isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "id: no wallet brand with this id"));
            return;
        }
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        for (String field : List.of("username", "authMode", "password", "publicKey")) {
            JsonNode v = body.path(field);
            if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
                ctx.status(400).json(Map.of("errorMessage", field + ": must be a string"));
                return;
            }
        }
        var result = granting.grant(id, text(body, "username"), text(body, "authMode"), text(body, "password"),
                text(body, "publicKey"));
        if (result.problem() != null) {
            ctx.status(400).json(Map.of("errorMessage", result.problem()));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("brandId", id.toString());
        out.put("username", result.manager().username());
        out.put("authMode", result.manager().mode().name());
        if (result.password() != null) {
            out.put("password", result.password());
        }
        ctx.json(out);
    }

    private void codeInputs(Context ctx) {
        String code = ctx.pathParam("code");
        if (!code.matches("[0-9]{10}")) {
            ctx.status(404).json(Map.of("errorMessage", "code: no such code"));
            return;
        }
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray() || inputs.size() > 10) {
            ctx.status(400).json(Map.of("errorMessage", "inputs: an array of at most 10 input names"));
            return;
        }
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode n : inputs) {
            if (!n.isTextual()) {
                ctx.status(400).json(Map.of("errorMessage", "inputs: each input is a name (a string)"));
                return;
            }
            names.add(n.asText().strip());
        }
        var problem = requireInputs.apply(code, names);
        if (problem.isPresent()) {
            ctx.status(problem.get().startsWith("code:") ? 404 : 400).json(Map.of("errorMessage", problem.get()));
            return;
        }
        ctx.json(Map.of("code", code, "inputs", names));
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.path(field);
        return v.isTextual() ? v.asText() : null;
    }
}
