package io.kulipa.api.momo;

import io.javalin.http.Context;
import io.kulipa.payments.credentials.AuthenticatingMomoCall;
import io.kulipa.payments.credentials.CallbackHost;
import io.kulipa.payments.credentials.ProvisioningApiUser;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * MoMo's X-Callback-Url rule, shared by every MoMo operation that calls back: the URL must be
 * http(s) on the providerCallbackHost the caller's API user was provisioned with.
 */
final class MomoCallbackUrls {

    static final String HEADER = "X-Callback-Url";

    private MomoCallbackUrls() {
    }

    /** The trimmed header, or null when there is none. */
    static String header(Context ctx) {
        String url = ctx.header(HEADER);
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** An http(s) URL on the host the caller's API user was provisioned with. */
    static boolean allowed(ProvisioningApiUser users, AuthenticatingMomoCall.Caller caller, String url) {
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

    /**
     * The header's URL when there is none or it is allowed; empty once MoMo's
     * INVALID_CALLBACK_URL_HOST has been written. A missing header is {@code Optional.of("")}.
     */
    static Optional<String> checked(Context ctx, ProvisioningApiUser users, AuthenticatingMomoCall.Caller caller) {
        String url = header(ctx);
        if (url == null) {
            return Optional.of("");
        }
        if (!allowed(users, caller, url)) {
            MomoErrors.reason(ctx, 400, "INVALID_CALLBACK_URL_HOST", HEADER + ": the host of '" + url
                    + "' is not the providerCallbackHost of API user " + caller.apiUserId()
                    + " (an http or https URL on that host is required)");
            return Optional.empty();
        }
        return Optional.of(url);
    }
}
