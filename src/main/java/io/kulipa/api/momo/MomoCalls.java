package io.kulipa.api.momo;

import io.javalin.http.Context;
import io.kulipa.payments.credentials.AuthenticatingMomoCall;
import io.kulipa.payments.credentials.MomoProduct;
import io.kulipa.payments.credentials.ProvisioningApiUser;
import java.util.Optional;

/**
 * The preamble of an authenticated MoMo product call for the pre-approval and identity
 * endpoints: the caller, its target environment and its X-Callback-Url, each refused in MoMo's
 * words. It follows {@link MomoPaymentRoutes}'s checks to the letter, so that every product call
 * answers the same way.
 */
final class MomoCalls {

    /** An authenticated call in a known target environment. */
    record Call(AuthenticatingMomoCall.Caller caller, MomoEnvironments.Environment environment) {
    }

    private final MomoAuth auth;
    private final ProvisioningApiUser users;
    private final MomoEnvironments environments;

    MomoCalls(MomoAuth auth, ProvisioningApiUser users, MomoEnvironments environments) {
        this.auth = auth;
        this.users = users;
        this.environments = environments;
    }

    /** The caller and environment, or empty once MoMo's refusal has been written. */
    Optional<Call> call(Context ctx, MomoProduct product) {
        Optional<AuthenticatingMomoCall.Caller> caller = auth.caller(ctx, product);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        return environment(ctx).map(env -> new Call(caller.get(), env));
    }

    Optional<MomoEnvironments.Environment> environment(Context ctx) {
        return MomoCallChecks.environment(ctx, environments);
    }

    /** The request's X-Callback-Url: none (null url), one on the API user's host, or refused once the 400 is written. */
    record Callback(String url, boolean refused) {
    }

    Callback callbackUrl(Context ctx, AuthenticatingMomoCall.Caller caller) {
        String url = ctx.header(MomoPaymentRoutes.CALLBACK_URL_HEADER);
        if (url == null || url.isBlank()) {
            return new Callback(null, false);
        }
        url = url.trim();
        if (!MomoCallbackUrls.allowed(users, caller, url)) {
            MomoErrors.reason(ctx, 400, "INVALID_CALLBACK_URL_HOST", MomoPaymentRoutes.CALLBACK_URL_HEADER
                    + ": the host of '" + url + "' is not the providerCallbackHost of API user " + caller.apiUserId()
                    + " (an http or https URL on that host is required)");
            return new Callback(null, true);
        }
        return new Callback(url, false);
    }
}
