package io.kulipa.dialects.momo.credentials;

import io.kulipa.payments.Secrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * MoMo's {@code POST /{product}/token/}: an API user and its API key (HTTP Basic) buy a bearer
 * token for one product, if the subscription key sent with them is the same merchant's key for
 * that product. The token is shown once; the store keeps its digest and expiry.
 */
public final class IssuingAccessToken {

    /** MoMo's tokens live one hour ({@code expires_in: 3600}). */
    public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(3600);
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final MomoCredentialStore store;
    private final Clock clock;

    public sealed interface Result {
        /** A new token in clear, to hand over once. */
        record Issued(String accessToken, Duration expiresIn, Instant expiresAt) implements Result {
            @Override
            public String toString() {
                return "Issued[expiresAt=" + expiresAt + "]";
            }
        }

        record Refused(CredentialRefusal why) implements Result {
        }
    }

    public IssuingAccessToken(MomoCredentialStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param apiUser the Basic user name: the API user's id
     * @param apiKey  the Basic password: the API key
     */
    public Result issue(String subscriptionKey, MomoProduct product, String apiUser, String apiKey) {
        SubscriptionKeyCheck key = SubscriptionKeyCheck.of(store, subscriptionKey, product);
        if (!key.passed()) {
            return new Result.Refused(key.refusal());
        }
        Optional<UUID> userId = uuid(apiUser);
        if (userId.isEmpty() || apiKey == null || apiKey.isEmpty()
                || store.apiUser(userId.get()).filter(u -> u.merchantId().equals(key.merchantId())).isEmpty()
                || !store.apiKeyDigest(userId.get()).map(d -> Secrets.sameDigest(d, Secrets.digest(apiKey)))
                .orElse(false)) {
            return new Result.Refused(CredentialRefusal.BAD_CREDENTIALS);
        }
        String clear = newToken();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(TOKEN_LIFETIME);
        store.insertAccessToken(Secrets.digest(clear),
                new IssuedToken(userId.get(), key.merchantId(), product, now, expiresAt));
        return new Result.Issued(clear, TOKEN_LIFETIME, expiresAt);
    }

    static Optional<UUID> uuid(String text) {
        if (text == null || !CANONICAL_UUID.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
