package io.kulipa.web;

import io.kulipa.payments.Secrets;
import io.javalin.http.Context;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.OnboardingMerchant;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the merchant behind a bearer token. Recent answers are kept for a few seconds, keyed
 * by the token's digest, so that the hot path does not read the merchant table each time.
 */
public final class Authenticator {

    private static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final int CACHE_MAX_ENTRIES = 10_000;

    private final OnboardingMerchant merchants;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Merchant merchant, long expiresAtNanos) {
    }

    public Authenticator(OnboardingMerchant merchants) {
        this.merchants = merchants;
    }

    public Optional<Merchant> merchant(Context ctx) {
        return bearer(ctx).flatMap(this::byToken);
    }

    public static Optional<String> bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private Optional<Merchant> byToken(String token) {
        String key = Secrets.digest(token);
        long now = System.nanoTime();
        Cached hit = cache.get(key);
        if (hit != null && hit.expiresAtNanos() - now > 0) {
            return Optional.of(hit.merchant());
        }
        Optional<Merchant> found = merchants.authenticate(token);
        if (found.isPresent()) {
            if (cache.size() >= CACHE_MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, new Cached(found.get(), now + CACHE_TTL.toNanos()));
        }
        return found;
    }

    /** Forgets cached merchants, after a token or a setting changes. */
    public void forgetAll() {
        cache.clear();
    }
}
