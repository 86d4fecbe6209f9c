package io.kulipa.web.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.JsonBody;
import io.kulipa.web.AdminGuard;
import io.kulipa.web.Routes;
import io.kulipa.providers.Availability;
import io.kulipa.providers.AvailabilityBoard;
import io.kulipa.providers.Operation;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Lets operations open, delay or close a correspondent by hand, behind the admin token:
 * {@code PUT /ops/availability/{correspondent}/{operationType}} with {@code {"status": "CLOSED"}};
 * {@code {"status": null}} removes the override and leaves the decision to the monitor again.
 * Overrides are kept in the database: every node on it honours one within
 * {@link AvailabilityBoard#SHARED_STATE_REFRESH}.
 */
public final class AvailabilityOpsRoutes implements Routes {


    private final AdminGuard adminGuard;
    private final AvailabilityBoard board;

    public AvailabilityOpsRoutes(String adminToken, AvailabilityBoard board) {
        this.adminGuard = new AdminGuard(adminToken);
        this.board = board;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.put("/ops/availability/{correspondent}/{operationType}", ctx -> {
            if (admin(ctx)) {
                setStatus(ctx);
            }
        });
    }

    private boolean admin(Context ctx) {
        return adminGuard.allows(ctx);
    }

    private void setStatus(Context ctx) {
        String correspondent = ctx.pathParam("correspondent");
        if (!board.knows(correspondent)) {
            badRequest(ctx, "correspondent: no correspondent '" + correspondent + "' in the catalog");
            return;
        }
        Optional<Operation> operation = parse(Operation.class, ctx.pathParam("operationType"));
        if (operation.isEmpty()) {
            badRequest(ctx, "operationType: must be DEPOSIT, PAYOUT or REFUND");
            return;
        }
        // The override is the body's one field, so a body that cannot be read is named by it.
        JsonBody.Read read = JsonBody.read(ctx, false);
        if (read.refused()) {
            badRequest(ctx, "status: is required in a JSON object body; " + read.problem());
            return;
        }
        JsonNode status = read.node() == null || !read.node().isObject() ? null : read.node().get("status");
        if (status == null) {
            badRequest(ctx, "status: is required: OPERATIONAL, DELAYED, CLOSED, or null to remove the override");
            return;
        }
        if (status.isNull()) {
            board.clear(correspondent, operation.get());
        } else {
            Optional<Availability.Status> value = status.isTextual()
                    ? parse(Availability.Status.class, status.asText()) : Optional.empty();
            if (value.isEmpty()) {
                badRequest(ctx, "status: must be OPERATIONAL, DELAYED, CLOSED, or null to remove the override");
                return;
            }
            board.set(correspondent, operation.get(), value.get());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("correspondent", correspondent);
        out.put("operationType", operation.get().name());
        out.put("status", board.status(correspondent, operation.get()).name());
        out.put("override", status.isNull() ? null : status.asText().toUpperCase(Locale.ROOT));
        out.put("degraded", board.degraded(correspondent));
        ctx.json(out);
    }

    private static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        try {
            return Optional.of(Enum.valueOf(type, text.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void badRequest(Context ctx, String message) {
        ctx.status(400).json(Map.of("errorMessage", message));
    }
}
