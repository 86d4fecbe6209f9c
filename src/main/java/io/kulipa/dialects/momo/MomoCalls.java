package io.kulipa.dialects.momo;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.kulipa.dialects.momo.credentials.AuthenticatingMomoCall;
import io.kulipa.dialects.momo.credentials.CallbackHost;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.web.JsonBody;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.UUID;

/**
 * The preamble every authenticated MoMo product call shares: the caller, its target
 * environment, its X-Reference-Id and its X-Callback-Url, each refused in MoMo's words. One place,
 * so that every product call answers the same way.
 */
final class MomoCalls {

    static final String CALLBACK_URL_HEADER = "X-Callback-Url";

    /** An authenticated call in a known target environment. */
    record Call(AuthenticatingMomoCall.Caller caller, MomoEnvironments.Environment environment) {
    }

    /** The request's X-Callback-Url: none (null url), one on the API user's host, or refused once the 400 is written. */
    record Callback(String url, boolean refused) {
    }

    private final MomoAuth auth;
    private final ProvisioningApiUser users;
    private final MomoEnvironments environments;

    MomoCalls(MomoAuth auth, ProvisioningApiUser users, MomoEnvironments environments) {
        this.auth = auth;
        this.users = users;
        this.environments = environments;
    }

    /** A product call's handler, given the authenticated caller and its environment. */
    @FunctionalInterface
    interface CallHandler {
        void handle(Context ctx, Call call) throws Exception;
    }

    /** A route handler that runs {@code handler} for an authenticated call; anything else gets MoMo's refusal. */
    Handler handler(MomoProduct product, CallHandler handler) {
        return ctx -> {
            Optional<Call> call = call(ctx, product);
            if (call.isPresent()) {
                handler.handle(ctx, call.get());
            }
        };
    }

    /** The caller and environment, or empty once MoMo's refusal has been written. */
    Optional<Call> call(Context ctx, MomoProduct product) {
        Optional<AuthenticatingMomoCall.Caller> caller = auth.caller(ctx, product);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        return environment(ctx).map(env -> new Call(caller.get(), env));
    }

    /** The target environment of the request, or empty once MoMo's refusal has been written. */
    Optional<MomoEnvironments.Environment> environment(Context ctx) {
        String name = ctx.header(MomoEnvironments.HEADER);
        if (name == null || name.isBlank()) {
            MomoErrors.badRequest(ctx, "The " + MomoEnvironments.HEADER + " header is required: "
                    + environments.names() + ".");
            return Optional.empty();
        }
        Optional<MomoEnvironments.Environment> env = environments.find(name);
        if (env.isEmpty()) {
            MomoErrors.reason(ctx, 403, "NOT_ALLOWED_TARGET_ENVIRONMENT", MomoEnvironments.HEADER + ": '" + name
                    + "' is not a target environment of this gateway; use one of " + environments.names() + ".");
        }
        return env;
    }

    /**
     * The answer to a creation whose body cannot be used: MoMo's 409 when the reference is
     * already known, whatever the new body says (the rule the core applies to payments, see
     * {@code InitiatingPayment.duplicateOf}), else the body's own refusal. Nothing is written.
     */
    static void refuseUnusable(Context ctx, boolean referenceKnown, Runnable refusal) {
        if (referenceKnown) {
            MomoErrors.alreadyExists(ctx);
        } else if (read(ctx).refused()) {
            // The reader's refusal names the field (a NUL, a number out of range, the Content-Type).
            MomoErrors.badRequest(ctx, read(ctx).problem());
        } else {
            refusal.run();
        }
    }

    /**
     * The strict read of the body (see {@link JsonBody}). MoMo's JSON bodies must be sent as
     * {@code application/json}, as MTN's gateway requires; docs/momo.md says so.
     */
    static JsonBody.Read read(Context ctx) {
        return JsonBody.read(ctx, true);
    }

    /**
     * The JSON body, or null when there is none or it was refused; a creation's parser then names
     * what it wants and {@link #refuseUnusable} answers the refusal.
     */
    static com.fasterxml.jackson.databind.JsonNode body(Context ctx) {
        return read(ctx).node();
    }

    /**
     * For a call whose body is optional (redeem, cancel, OTP, notification): true once MoMo's 400
     * has been written for a body that is given but is not a usable JSON object, so that nothing
     * is changed on a body that cannot be read.
     */
    static boolean refusedOptionalBody(Context ctx) {
        JsonBody.Read read = read(ctx);
        if (read.refused()) {
            MomoErrors.badRequest(ctx, read.problem());
            return true;
        }
        if (!read.absent() && !read.node().isObject()) {
            MomoErrors.badRequest(ctx, "body: when given, must be a JSON object");
            return true;
        }
        return false;
    }

    /** The X-Reference-Id of a request that creates something, or empty once the 400 has been written. */
    static Optional<UUID> referenceId(Context ctx, String identifies) {
        Optional<UUID> reference = MomoRoutes.uuid(ctx.header(MomoRoutes.REFERENCE_ID_HEADER));
        if (reference.isEmpty()) {
            MomoErrors.badRequest(ctx, "The " + MomoRoutes.REFERENCE_ID_HEADER + " header must be a UUID, for example "
                    + UUID.randomUUID() + "; it identifies the " + identifies + ".");
        }
        return reference;
    }

    Callback callbackUrl(Context ctx, AuthenticatingMomoCall.Caller caller) {
        String url = ctx.header(CALLBACK_URL_HEADER);
        if (url == null || url.isBlank()) {
            return new Callback(null, false);
        }
        url = url.trim();
        if (!callbackAllowed(caller, url)) {
            MomoErrors.reason(ctx, 400, "INVALID_CALLBACK_URL_HOST", CALLBACK_URL_HEADER
                    + ": the host of '" + url + "' is not the providerCallbackHost of API user " + caller.apiUserId()
                    + " (an http or https URL on that host is required)");
            return new Callback(null, true);
        }
        return new Callback(url, false);
    }

    /** An http(s) URL on the host the caller's API user was provisioned with. */
    private boolean callbackAllowed(AuthenticatingMomoCall.Caller caller, String url) {
        if (url.length() > CallbackHost.MAX_INPUT_CHARS) {
            return false;
        }
        try {
            String scheme = new URI(url).getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return false;
            }
        } catch (URISyntaxException e) {
            return false;
        }
        return users.find(caller.merchantId(), caller.apiUserId())
                .map(u -> u.providerCallbackHost().matches(url)).orElse(false);
    }
}
