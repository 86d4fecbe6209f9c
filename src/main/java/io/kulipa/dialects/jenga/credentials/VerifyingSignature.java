package io.kulipa.dialects.jenga.credentials;

import java.security.PublicKey;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks a request's Signature header against the public key the merchant registered:
 * base64 of SHA256withRSA over the fields the endpoint signs, concatenated as sent.
 */
public final class VerifyingSignature {

    private final JengaCredentialStore store;

    public VerifyingSignature(JengaCredentialStore store) {
        this.store = store;
    }

    /** Empty when the signature verifies; otherwise why not, naming the Signature header. */
    public Optional<String> refusal(UUID merchantId, String signedText, String signature) {
        if (signature == null || signature.isBlank()) {
            return Optional.of("Signature: the header is required (base64 of SHA256withRSA over the signed fields)");
        }
        Optional<PublicKey> key = store.byMerchant(merchantId).map(JengaMerchant::publicKeyPem)
                .flatMap(PublicKeys::parse);
        if (key.isEmpty()) {
            return Optional.of("Signature: no public key is registered for this merchant");
        }
        if (!PublicKeys.verifies(key.get(), signedText, signature)) {
            return Optional.of("Signature: does not verify with this merchant's public key over merchant.accountNumber"
                    + " + payment.ref + payment.mobileNumber + payment.telco + payment.amount + payment.currency");
        }
        return Optional.empty();
    }
}
