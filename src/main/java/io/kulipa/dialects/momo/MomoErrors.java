package io.kulipa.dialects.momo;

import io.javalin.http.Context;
import io.kulipa.dialects.momo.credentials.CredentialRefusal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MoMo's error answers. Its API answers {@code {code, message}} with the codes of its
 * ErrorReason (RESOURCE_NOT_FOUND, RESOURCE_ALREADY_EXIST...). Subscription keys and tokens are
 * checked by the API gateway in front of it (Azure API Management), which answers 401 with
 * {@code {statusCode, message}} in its own words; the token endpoint refuses bad credentials
 * with {@code {"error": "login_failed"}}. Clients in the wild key off these shapes, so they are
 * kept as MoMo has them.
 */
public final class MomoErrors {

    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND";
    public static final String RESOURCE_ALREADY_EXIST = "RESOURCE_ALREADY_EXIST";

    static final String MISSING_KEY_MESSAGE = "Access denied due to missing subscription key. Make sure to include "
            + "subscription key when making requests to an API.";
    static final String INVALID_KEY_MESSAGE = "Access denied due to invalid subscription key. Make sure to provide "
            + "a valid key for an active subscription.";

    private MomoErrors() {
    }

    /** An ErrorReason answer: {@code {code, message}}. */
    public static void reason(Context ctx, int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        ctx.status(status).json(body);
    }

    public static void badRequest(Context ctx, String message) {
        reason(ctx, 400, BAD_REQUEST, message);
    }

    public static void notFound(Context ctx) {
        reason(ctx, 404, RESOURCE_NOT_FOUND, "Requested resource was not found.");
    }

    public static void alreadyExists(Context ctx) {
        reason(ctx, 409, RESOURCE_ALREADY_EXIST, "Duplicated reference id. Creation of resource failed.");
    }

    /** The token endpoint's answer to a wrong API user or API key. */
    public static void loginFailed(Context ctx) {
        ctx.status(401).json(Map.of("error", "login_failed"));
    }

    /** The gateway's 401 for a subscription key or bearer token that does not let the call through. */
    public static void accessDenied(Context ctx, CredentialRefusal why) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", 401);
        body.put("message", message(why));
        ctx.status(401).json(body);
    }

    static String message(CredentialRefusal why) {
        return switch (why) {
            case MISSING_SUBSCRIPTION_KEY -> MISSING_KEY_MESSAGE;
            // A key of another product is, to the gateway, simply not a key of this product's API.
            case UNKNOWN_SUBSCRIPTION_KEY, WRONG_PRODUCT -> INVALID_KEY_MESSAGE;
            case BAD_CREDENTIALS -> "Access denied due to invalid API user or API key.";
            case MISSING_TOKEN -> "Access denied due to missing access token. Make sure to send "
                    + "'Authorization: Bearer <access_token>' from POST /{product}/token/.";
            case UNKNOWN_TOKEN -> "Access denied due to invalid access token.";
            case EXPIRED_TOKEN -> "Access denied due to expired access token. Get a new one from "
                    + "POST /{product}/token/.";
            case FOREIGN_TOKEN -> "Access denied due to invalid access token: it was not issued for this "
                    + "subscription key and product.";
        };
    }
}
