package io.kulipa.dialects.scantopay.remote;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Remote API's answers besides success, as its "Error handling" table gives them: 200 with
 * {@code status: ERROR} and an {@code errorMessage} for an application-level refusal, 400
 * {@code BAD_REQUEST} naming the field, 401 for bad credentials, an expired JWT or the wrong mode
 * of the manager, 500 for anything of ours (safe to retry with the same transactionId).
 */
public final class RemoteErrors {

    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String ERROR = "ERROR";
    public static final String NOT_FOUND = "NOT_FOUND";

    private RemoteErrors() {
    }

    public static void badRequest(Context ctx, String message) {
        answer(ctx, 400, BAD_REQUEST, message);
    }

    public static void unauthorized(Context ctx, String message) {
        answer(ctx, 401, UNAUTHORIZED, message);
    }

    /** An application-level refusal: HTTP 200, {@code status: ERROR}. */
    public static void error(Context ctx, String message) {
        answer(ctx, 200, ERROR, message);
    }

    public static void answer(Context ctx, int http, String status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("errorMessage", message);
        ctx.status(http).json(body);
    }
}
