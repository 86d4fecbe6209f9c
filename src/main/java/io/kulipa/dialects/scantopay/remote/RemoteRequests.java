package io.kulipa.dialects.scantopay.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.kulipa.dialects.scantopay.remote.managers.AuthenticatingManager;
import io.kulipa.dialects.scantopay.remote.managers.Manager;
import io.kulipa.web.JsonBody;
import java.util.Locale;
import java.util.Optional;

/**
 * What every Remote API request goes through: {@code Content-Type: application/json} on a POST
 * (400 otherwise, body or not), the manager authenticated on this request alone (401), and a
 * JSON object body read by the one reader (400 naming the field).
 */
final class RemoteRequests {

    static final String MANAGER_ATTRIBUTE = "scantopay-remote.manager";
    /** A field of the Remote API is short; one longer than this is refused rather than stored. */
    static final int TEXT_MAX_CHARS = 512;

    interface Authenticated {
        void handle(Context ctx, Manager manager) throws Exception;
    }

    private final AuthenticatingManager authenticating;

    RemoteRequests(AuthenticatingManager authenticating) {
        this.authenticating = authenticating;
    }

    Handler post(Authenticated then) {
        return ctx -> {
            String type = ctx.header("Content-Type");
            String media = type == null ? "" : type.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (!media.equals("application/json")) {
                RemoteErrors.badRequest(ctx, "Content-Type: must be application/json"
                        + (media.isEmpty() ? " (none was given)" : ""));
                return;
            }
            authenticated(ctx, then);
        };
    }

    Handler get(Authenticated then) {
        return ctx -> authenticated(ctx, then);
    }

    private void authenticated(Context ctx, Authenticated then) throws Exception {
        AuthenticatingManager.Result result = authenticating.authenticate(ctx.header("Authorization"));
        if (result.manager() == null) {
            RemoteErrors.unauthorized(ctx, result.problem());
            return;
        }
        ctx.attribute(MANAGER_ATTRIBUTE, result.manager().username());
        then.handle(ctx, result.manager());
    }

    /** The body as a JSON object, or empty after answering 400. */
    static Optional<JsonNode> object(Context ctx) {
        JsonBody.Read read = JsonBody.read(ctx, true);
        if (read.refused()) {
            RemoteErrors.badRequest(ctx, read.problem());
            return Optional.empty();
        }
        if (read.absent()) {
            RemoteErrors.badRequest(ctx, "body: required, a JSON object");
            return Optional.empty();
        }
        if (!read.node().isObject()) {
            RemoteErrors.badRequest(ctx, "body: must be a JSON object");
            return Optional.empty();
        }
        return Optional.of(read.node());
    }

    /**
     * The text of {@code field} (a string, or a number as written), null when absent or JSON null;
     * {@link #WRONG} when it is of another type or too long (the caller names the field).
     */
    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            return WRONG;
        }
        String s = v.asText();
        return s.length() > TEXT_MAX_CHARS ? WRONG : s;
    }

    /** Marks a field of the wrong type or length; compared by identity. */
    static final String WRONG = new String("\u0000wrong");

    static String wrong(String field) {
        return field + ": must be a string of at most " + TEXT_MAX_CHARS + " characters";
    }
}
