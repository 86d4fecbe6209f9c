package io.kulipa.dialects.jenga;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jenga's answers other than success: {@code {status: false, code, message}}, the shape of the
 * spec's table. The codes of the table (106401, 106201, 106500, 106501, 400101) are the spec's;
 * the others are Kulipa's, in the same six-digit form, and docs/jenga.md lists them.
 */
public final class JengaErrors {

    public static final int TELCO_NOT_AUTHORISED = 106401;
    public static final int PUSH_NOT_STARTED = 106201;
    public static final int SERVICE_LOADING = 106500;
    public static final int SERVICE_MAPPING = 106501;
    public static final int DUPLICATE_REFERENCE = 400101;
    /** A field breaks its rule; the message names it. */
    public static final int INVALID_FIELD = 400100;
    /** The body is not a JSON object. */
    public static final int INVALID_BODY = 400102;
    /** The Api-Key, merchant code, consumer secret or bearer token is missing, wrong or expired. */
    public static final int UNAUTHENTICATED = 401100;
    /** The Signature header is missing or does not verify with the merchant's public key. */
    public static final int BAD_SIGNATURE = 401101;
    public static final int NOT_FOUND = 404100;
    /** A resend of a callback that is still being delivered, already delivered, or of a pending push. */
    public static final int RESEND_REFUSED = 409100;

    static final String TELCO_MESSAGE = "Not Authorized to access this Telco, Kindly contact support@finserve.africa";
    static final String PUSH_NOT_STARTED_MESSAGE = "Failed to initiate push. Kindly try again after a few minutes "
            + "or contact support@finserve.africa";
    static final String DUPLICATE_MESSAGE = "Transaction with the same reference already exists";

    private JengaErrors() {
    }

    public static void answer(Context ctx, int httpStatus, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", false);
        body.put("code", code);
        body.put("message", message);
        ctx.status(httpStatus).json(body);
    }

    static void invalid(Context ctx, String field, String rule) {
        answer(ctx, 400, INVALID_FIELD, field + ": " + rule);
    }

    static void unauthenticated(Context ctx, String message) {
        answer(ctx, 401, UNAUTHENTICATED, message);
    }
}
