package io.kulipa.dialects.momo.credentials;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Persistence of MoMo credentials. Every secret arrives here as its SHA-256 digest
 * ({@link io.kulipa.payments.Secrets#digest}); nothing here ever sees one in clear.
 */
public interface MomoCredentialStore {

    /** What a subscription key opens: none, or one row per product of a single merchant. */
    List<SubscriptionKey> subscriptionKeys(String keyDigest);

    /**
     * Makes the key the merchant's only one for the product, replacing any earlier one.
     *
     * @return false, changing nothing, when another merchant already holds that key
     */
    boolean replaceSubscriptionKey(UUID merchantId, MomoProduct product, String keyDigest);

    /** @return false, changing nothing, when a user with that id exists already (of any merchant) */
    boolean insertApiUser(ApiUser user);

    Optional<ApiUser> apiUser(UUID id);

    /** Sets the user's API key, replacing the one it had. */
    void replaceApiKey(UUID apiUserId, String keyDigest, Instant at);

    Optional<String> apiKeyDigest(UUID apiUserId);

    /** Records a new token, and forgets the tokens of the same user that expired before it was issued. */
    void insertAccessToken(String tokenDigest, IssuedToken token);

    Optional<IssuedToken> accessToken(String tokenDigest);
}
