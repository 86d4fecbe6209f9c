package io.kulipa.dialects.scantopay;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scan to Pay's errors: the HTTP status is the error (the generic 400/401/403/404/406 of the
 * Errors page, or one of the platform's 431-481 codes), and the body names it and the field.
 */
public final class StpErrors {

    public static final int CODE_NOT_FOUND = 431;
    public static final int INVALID_AMOUNT = 432;
    public static final int INVALID_NETWORK = 433;
    public static final int CLIENT_SUSPENDED = 434;
    public static final int MISSING_MSISDN = 465;
    public static final int CNP_NOT_WHITELISTED = 468;
    public static final int THREE_DS_NOT_WHITELISTED = 469;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(400, "BAD_REQUEST"), Map.entry(401, "UNAUTHORIZED"), Map.entry(403, "FORBIDDEN"),
            Map.entry(404, "NOT_FOUND"), Map.entry(406, "NOT_ACCEPTABLE"), Map.entry(409, "CONFLICT"),
            Map.entry(500, "INTERNAL_SERVER_ERROR"), Map.entry(503, "SERVICE_UNAVAILABLE"),
            Map.entry(CODE_NOT_FOUND, "CODE_NOT_FOUND"), Map.entry(INVALID_AMOUNT, "INVALID_AMOUNT"),
            Map.entry(INVALID_NETWORK, "INVALID_NETWORK"), Map.entry(CLIENT_SUSPENDED, "CLIENT_SUSPENDED"),
            Map.entry(MISSING_MSISDN, "MISSING_MSISDN"),
            Map.entry(CNP_NOT_WHITELISTED, "WIG_CNP_PURCHASE_FAIL_CARD_EXPIRY_BIN_NOT_WHIELIST"),
            Map.entry(THREE_DS_NOT_WHITELISTED, "WIG_3DS_PURCHASE_FAIL_CARD_EXPIRY_BIN_NOT_WHIELIST"));

    private StpErrors() {
    }

    public static String name(int status) {
        return NAMES.getOrDefault(status, "ERROR");
    }

    /** Answers the error; {@code message} names the field and never echoes a secret. */
    public static void answer(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("name", name(status));
        body.put("message", message);
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Basic realm=\"scantopay\", Bearer");
        }
        ctx.status(status).json(body);
    }
}
