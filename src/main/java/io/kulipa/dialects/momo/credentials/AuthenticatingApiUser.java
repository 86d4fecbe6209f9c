package io.kulipa.dialects.momo.credentials;

import io.kulipa.payments.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks an API user's own credentials (HTTP Basic apiUser:apiKey) with a product's subscription
 * key, as the token endpoints do, without issuing anything: for MoMo's other token endpoint,
 * {@code POST /{product}/oauth2/token/}.
 */
public final class AuthenticatingApiUser {

    private final MomoCredentialStore store;

    /** The merchant, and the API user when one authenticated (null after a subscription key check alone). */
    public record Caller(UUID merchantId, UUID apiUserId) {
    }

    public sealed interface Result {
        record Authenticated(Caller caller) implements Result {
        }

        record Refused(CredentialRefusal why) implements Result {
        }
    }

    public AuthenticatingApiUser(MomoCredentialStore store) {
        this.store = store;
    }

    public Result authenticate(String subscriptionKey, MomoProduct product, String apiUser, String apiKey) {
        SubscriptionKeyCheck key = SubscriptionKeyCheck.of(store, subscriptionKey, product);
        if (!key.passed()) {
            return new Result.Refused(key.refusal());
        }
        Optional<UUID> userId = IssuingAccessToken.uuid(apiUser);
        if (userId.isEmpty() || apiKey == null || apiKey.isEmpty()
                || store.apiUser(userId.get()).filter(u -> u.merchantId().equals(key.merchantId())).isEmpty()
                || !store.apiKeyDigest(userId.get()).map(d -> MessageDigest.isEqual(
                        d.getBytes(StandardCharsets.US_ASCII),
                        Secrets.digest(apiKey).getBytes(StandardCharsets.US_ASCII))).orElse(false)) {
            return new Result.Refused(CredentialRefusal.BAD_CREDENTIALS);
        }
        return new Result.Authenticated(new Caller(key.merchantId(), userId.get()));
    }

    /** The merchant whose key for the product this is. */
    public Result subscriptionKey(String subscriptionKey, MomoProduct product) {
        SubscriptionKeyCheck key = SubscriptionKeyCheck.of(store, subscriptionKey, product);
        return key.passed() ? new Result.Authenticated(new Caller(key.merchantId(), null))
                : new Result.Refused(key.refusal());
    }
}
