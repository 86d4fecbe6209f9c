package io.kulipa.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/** The admin bearer token check of every operations endpoint, compared in constant time. */
public final class AdminGuard {

    private final byte[] adminToken;

    public AdminGuard(String adminToken) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the request carries the admin token; otherwise answers 401 and returns false. */
    public boolean allows(Context ctx) {
        Optional<String> token = Authenticator.bearer(ctx);
        boolean ok = token.isPresent() && MessageDigest.isEqual(token.get().getBytes(StandardCharsets.UTF_8), adminToken);
        if (!ok) {
            ctx.status(401).json(Map.of("errorMessage", "The admin bearer token is missing or not valid"));
        }
        return ok;
    }
}
