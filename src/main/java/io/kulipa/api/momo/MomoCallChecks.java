package io.kulipa.api.momo;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * The X-Target-Environment check that every MoMo product call shares; the X-Callback-Url rule is
 * {@link MomoCallbackUrls}.
 */
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
}
