package io.kulipa.dialects.jenga.credentials;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Persistence of Jenga credentials, accounts and tokens; every secret as its digest. */
public interface JengaCredentialStore {

    /**
     * Creates or replaces a merchant's credentials. False when the merchant code or the Api-Key
     * digest already belongs to another merchant; nothing is written then.
     */
    boolean upsert(JengaMerchant credentials, java.time.Instant at);

    Optional<JengaMerchant> byMerchant(UUID merchantId);

    Optional<JengaMerchant> byApiKeyDigest(String apiKeyDigest);

    void replacePublicKey(UUID merchantId, String publicKeyPem, java.time.Instant at);

    void replaceSecret(UUID merchantId, String secretDigest, java.time.Instant at);

    /** Gives the merchant an account number; false when another merchant holds it. */
    boolean addAccount(UUID merchantId, String accountNumber);

    List<String> accounts(UUID merchantId);

    /** Stores a token (and its refresh token), dropping the merchant's expired ones. */
    void insertToken(String tokenDigest, String refreshDigest, IssuedToken token);

    Optional<IssuedToken> token(String tokenDigest);
}
