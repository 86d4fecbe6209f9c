package io.kulipa.signatures;

import java.security.KeyPair;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * What ops change in a merchant's signature settings: the merchant's public key, whether only
 * signed financial requests are accepted, whether callbacks are signed. Kulipa's callback key of
 * the merchant is made the first time the settings are read or changed, and kept.
 */
public final class ConfiguringSignatures {

    private final MerchantSignatures store;
    private final VerifyingSignedRequest verifying;

    public ConfiguringSignatures(MerchantSignatures store, VerifyingSignedRequest verifying) {
        this.store = store;
        this.verifying = verifying;
    }

    /** A change; a null field keeps what is set. {@code clearPublicKey} removes the merchant's key. */
    public record Change(String publicKey, boolean clearPublicKey, Boolean onlySignedRequests, Boolean signCallbacks) {
    }

    /** The settings after the change, or the reason it is refused (nothing is stored then). */
    public sealed interface Result {
        record Saved(MerchantSignatures.Settings settings) implements Result {
        }

        record Refused(String field, String problem) implements Result {
        }
    }

    /** The merchant's settings, with its callback key made if it has none yet. */
    public MerchantSignatures.Settings settings(UUID merchantId) {
        return store.find(merchantId).orElseGet(() -> {
            MerchantSignatures.Settings fresh = fresh(merchantId);
            store.save(fresh);
            // Another node may have made one at the same moment: the stored one is the merchant's.
            return store.find(merchantId).orElse(fresh);
        });
    }

    public Result change(UUID merchantId, Change change) {
        MerchantSignatures.Settings now = settings(merchantId);
        String key = now.publicKey();
        if (change.clearPublicKey()) {
            key = null;
        } else if (change.publicKey() != null) {
            Optional<java.security.PublicKey> parsed = SignatureKeys.publicKey(change.publicKey());
            if (parsed.isEmpty()) {
                return new Result.Refused("publicKey", "must be a PEM or base64 DER public key: EC on P-256 or "
                        + "P-384, or RSA of at least " + SignatureAlgorithm.RSA_MIN_BITS + " bits");
            }
            key = SignatureKeys.pem(parsed.get());
        }
        boolean onlySigned = change.onlySignedRequests() == null ? now.onlySignedRequests()
                : change.onlySignedRequests();
        if (onlySigned && key == null) {
            return new Result.Refused("onlySignedRequests", "needs the merchant's publicKey");
        }
        boolean sign = change.signCallbacks() == null ? now.signCallbacks() : change.signCallbacks();
        MerchantSignatures.Settings next = new MerchantSignatures.Settings(merchantId, key, onlySigned, sign,
                now.callbackKeyId(), now.callbackPublicKey(), now.callbackPrivateKey());
        store.save(next);
        verifying.forget(merchantId);
        return new Result.Saved(next);
    }

    private static MerchantSignatures.Settings fresh(UUID merchantId) {
        KeyPair pair = SignatureKeys.newCallbackKeyPair();
        return new MerchantSignatures.Settings(merchantId, null, false, false, SignatureKeys.keyId(pair.getPublic()),
                SignatureKeys.pem(pair.getPublic()), Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
    }
}
