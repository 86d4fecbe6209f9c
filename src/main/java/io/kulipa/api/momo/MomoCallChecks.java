package io.kulipa.api.momo;

import io.javalin.http.Context;
import io.kulipa.payments.credentials.AuthenticatingMomoCall;
import io.kulipa.payments.credentials.CallbackHost;
import io.kulipa.payments.credentials.ProvisioningApiUser;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** Header checks that every MoMo product call shares: the target environment and the callback URL's host. */
final class MomoCallChecks {

    private MomoCallChecks() {
    }

    /** The target environment of the request, or empty once MoMo's refusal has been written. */
    static Optional<MomoEnvironments.Environment> environment(Context ctx, MomoEnvironments environments) {
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

    /** An http(s) URL on the host the caller's API user was provisioned with. */
    static boolean callbackAllowed(ProvisioningApiUser users, AuthenticatingMomoCall.Caller caller, String url) {
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
