package io.kulipa.signatures;

import java.util.Optional;
import java.util.UUID;

/** The signature settings of each merchant; implemented in {@code store}. */
public interface MerchantSignatures {

    /**
     * One merchant's settings.
     *
     * @param publicKey          the merchant's public key for its signed requests (PEM), or null
     * @param onlySignedRequests deposits, payouts and refunds are refused unless signed with {@code publicKey}
     * @param signCallbacks      Kulipa signs this merchant's callbacks with its callback key
     * @param callbackKeyId      the id of Kulipa's callback key for this merchant (the {@code keyid} it signs with)
     * @param callbackPublicKey  that key's public half (PEM), for the merchant to verify with
     * @param callbackPrivateKey that key's private half, PKCS#8 DER in base64; never shown
     */
    record Settings(UUID merchantId, String publicKey, boolean onlySignedRequests, boolean signCallbacks,
                    String callbackKeyId, String callbackPublicKey, String callbackPrivateKey) {
        @Override
        public String toString() {
            return "Settings[merchantId=" + merchantId + ", onlySignedRequests=" + onlySignedRequests
                    + ", signCallbacks=" + signCallbacks + ", callbackKeyId=" + callbackKeyId + "]";
        }
    }

    Optional<Settings> find(UUID merchantId);

    /** Stores the settings, replacing the merchant's earlier ones. */
    void save(Settings settings);
}
