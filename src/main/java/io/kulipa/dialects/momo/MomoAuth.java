package io.kulipa.dialects.momo;

import io.javalin.http.Context;
import io.kulipa.dialects.momo.credentials.AuthenticatingMomoCall;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import java.util.Optional;

/**
 * Authenticates a MoMo product call (request to pay, transfer, balance...): the product's
 * subscription key in {@code Ocp-Apim-Subscription-Key} and a token from
 * {@code POST /{product}/token/} in {@code Authorization: Bearer}. On failure the 401 answer is
 * written and the handler stops.
 */
public final class MomoAuth {

    public static final String SUBSCRIPTION_KEY_HEADER = "Ocp-Apim-Subscription-Key";

    private final AuthenticatingMomoCall authenticating;

    public MomoAuth(AuthenticatingMomoCall authenticating) {
        this.authenticating = authenticating;
    }

    /** The caller, or empty once a 401 has been written. */
    public Optional<AuthenticatingMomoCall.Caller> caller(Context ctx, MomoProduct product) {
        return switch (authenticating.authenticate(ctx.header(SUBSCRIPTION_KEY_HEADER), bearer(ctx), product)) {
            case AuthenticatingMomoCall.Result.Authenticated a -> Optional.of(a.caller());
            case AuthenticatingMomoCall.Result.Refused r -> {
                MomoErrors.accessDenied(ctx, r.why());
                yield Optional.empty();
            }
        };
    }

    /** The bearer token, or null when there is none (another scheme counts as none). */
    static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
