package io.kulipa.dialects.momo.credentials;

import io.kulipa.payments.Secrets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives merchants MoMo subscription keys. A key is shown once, when it is made; the store
 * keeps only its digest. In the sandbox the demo merchant gets one key for all three products
 * (MoMo's portal gives one per product; one is simpler to paste and the product is in the path).
 */
public final class GrantingSubscriptionKeys {

    /** MoMo's keys are 32 hexadecimal characters: 128 random bits. */
    private static final int KEY_BYTES = 16;
    public static final int MAX_KEY_CHARS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MomoCredentialStore store;

    public GrantingSubscriptionKeys(MomoCredentialStore store) {
        this.store = store;
    }

    /**
     * Gives the merchant one key for every product, replacing the keys it had.
     *
     * @param key the key to use, or null to make one
     * @return the key in clear
     * @throws IllegalArgumentException if another merchant holds the given key, or it is blank or too long
     */
    public String grantAll(UUID merchantId, String key) {
        String clear = checked(key);
        for (MomoProduct product : MomoProduct.values()) {
            assign(merchantId, product, clear);
        }
        return clear;
    }

    /** Gives the merchant a key (the given one, or a new one) for one product, replacing its old one. */
    public String grant(UUID merchantId, MomoProduct product, String key) {
        String clear = checked(key);
        assign(merchantId, product, clear);
        return clear;
    }

    /** Whether the key opens the product for this merchant: a key written in a file may have been replaced. */
    public boolean holds(UUID merchantId, MomoProduct product, String key) {
        return key != null && !key.isBlank() && store.subscriptionKeys(Secrets.digest(key.trim())).stream()
                .anyMatch(k -> k.merchantId().equals(merchantId) && k.product() == product);
    }

    /** The merchant a key belongs to, whatever its product. */
    public Optional<UUID> merchantOf(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        List<SubscriptionKey> opened = store.subscriptionKeys(Secrets.digest(key.trim()));
        return opened.stream().map(SubscriptionKey::merchantId).findFirst();
    }

    public static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private void assign(UUID merchantId, MomoProduct product, String clear) {
        if (!store.replaceSubscriptionKey(merchantId, product, Secrets.digest(clear))) {
            throw new IllegalArgumentException("that MoMo subscription key belongs to another merchant");
        }
    }

    private static String checked(String key) {
        if (key == null) {
            return newKey();
        }
        String clear = key.trim();
        if (clear.isEmpty() || clear.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException("a MoMo subscription key has 1 to " + MAX_KEY_CHARS + " characters");
        }
        return clear;
    }
}
