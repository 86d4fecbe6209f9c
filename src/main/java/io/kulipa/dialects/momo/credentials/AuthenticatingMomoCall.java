package io.kulipa.dialects.momo.credentials;

import io.kulipa.payments.Secrets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Lets a MoMo product call through: its subscription key must be a merchant's key for the
 * product called, and its bearer token a live token issued to that merchant for that product.
 */
public final class AuthenticatingMomoCall {

    private final MomoCredentialStore store;
    private final Clock clock;

    /** Who is calling: the merchant, and the API user its token was issued to. */
    public record Caller(UUID merchantId, UUID apiUserId, MomoProduct product) {
    }

    public sealed interface Result {
        record Authenticated(Caller caller) implements Result {
        }

        record Refused(CredentialRefusal why) implements Result {
        }
    }

    public AuthenticatingMomoCall(MomoCredentialStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Result authenticate(String subscriptionKey, String bearerToken, MomoProduct product) {
        SubscriptionKeyCheck key = SubscriptionKeyCheck.of(store, subscriptionKey, product);
        if (!key.passed()) {
            return new Result.Refused(key.refusal());
        }
        if (bearerToken == null || bearerToken.isBlank()) {
            return new Result.Refused(CredentialRefusal.MISSING_TOKEN);
        }
        Optional<IssuedToken> token = store.accessToken(Secrets.digest(bearerToken.trim()));
        if (token.isEmpty()) {
            return new Result.Refused(CredentialRefusal.UNKNOWN_TOKEN);
        }
        IssuedToken t = token.get();
        if (!t.merchantId().equals(key.merchantId()) || t.product() != product) {
            return new Result.Refused(CredentialRefusal.FOREIGN_TOKEN);
        }
        if (!clock.instant().isBefore(t.expiresAt())) {
            return new Result.Refused(CredentialRefusal.EXPIRED_TOKEN);
        }
        return new Result.Authenticated(new Caller(t.merchantId(), t.apiUserId(), product));
    }
}
