package io.kulipa.dialects.jenga.credentials;

import io.kulipa.payments.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Jenga's merchant authentication: the Api-Key header names the merchant's credentials, and the
 * merchant code and consumer secret of the body must be theirs. The tokens it issues are kept as
 * digests and expire after the configured lifetime.
 */
public final class IssuingAccessToken {

    /** Jenga's tokens expire within 15 minutes (its support pages say so); a setting may change it. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    /** A token longer than this was not issued here, so it is not even looked up. */
    public static final int TOKEN_MAX_CHARS = 256;

    /** A token pair as the merchant sees it, once. */
    public record Issued(String accessToken, String refreshToken, Instant issuedAt, Instant expiresAt) {
    }

    private final JengaCredentialStore store;
    private final Duration lifetime;
    private final Clock clock;

    public IssuingAccessToken(JengaCredentialStore store, Duration lifetime, Clock clock) {
        this.store = store;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Empty when the Api-Key, the merchant code or the secret is wrong; which one is not told. */
    public Optional<Issued> issue(String apiKey, String merchantCode, String consumerSecret) {
        if (apiKey == null || merchantCode == null || consumerSecret == null) {
            return Optional.empty();
        }
        Optional<JengaMerchant> found = store.byApiKeyDigest(Secrets.digest(apiKey))
                .filter(m -> m.merchantCode().equals(merchantCode))
                .filter(m -> Secrets.sameDigest(m.secretDigest(), Secrets.digest(consumerSecret)));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Issued issued = new Issued(Secrets.random(), Secrets.random(), now, now.plus(lifetime));
        store.insertToken(Secrets.digest(issued.accessToken()), Secrets.digest(issued.refreshToken()),
                new IssuedToken(found.get().merchantId(), now, issued.expiresAt()));
        return Optional.of(issued);
    }

    /** The merchant a bearer token was issued to, while it has not expired. */
    public Optional<UUID> merchantOf(String bearer) {
        if (bearer == null || bearer.isBlank() || bearer.length() > TOKEN_MAX_CHARS) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.token(Secrets.digest(bearer)).filter(t -> now.isBefore(t.expiresAt())).map(IssuedToken::merchantId);
    }
}
