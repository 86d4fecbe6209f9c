package io.kulipa.dialects.jenga.credentials;

import java.util.UUID;

/**
 * A merchant's Jenga credentials as stored: its merchant code, the digests of its Api-Key and
 * consumer secret (never the clear values), and the RSA public key (PEM) its request
 * signatures are verified with, null until one is registered.
 */
public record JengaMerchant(UUID merchantId, String merchantCode, String apiKeyDigest, String secretDigest,
                            String publicKeyPem) {
}
