package io.kulipa.dialects.scantopay.notifications;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a notification body is encrypted, exactly as "Signing and verifying webhooks" documents it:
 * AES-128-CBC with PKCS#5 padding under the merchant's notification key, an IV of 16 zero bytes,
 * and the ciphertext Base64-encoded as the HTTP body. The key is 16 random bytes handed to the
 * merchant as 32 hex digits, as the Portal shows it. (A key made before Kulipa followed the page
 * was Base64, 24 characters; such a key still encrypts, the same way.)
 */
public final class NotificationCipher {

    public static final int KEY_BYTES = 16;
    public static final int IV_BYTES = 16;
    /** What the body is: a Base64 string, not JSON. */
    public static final String CONTENT_TYPE = "text/plain; charset=US-ASCII";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";
    private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[IV_BYTES]);

    private NotificationCipher() {
    }

    /** A new notification key: 32 lower-case hex digits. */
    public static String newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    /** Whether a key is in the documented form (32 hex digits). */
    public static boolean isHexKey(String key) {
        return key != null && key.matches("[0-9a-fA-F]{32}");
    }

    public static String encrypt(String json, String key) {
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, key(key), ZERO_IV);
            return Base64.getEncoder().encodeToString(c.doFinal(json.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CBC is not available", e);
        }
    }

    /** What a merchant does with the body (and the tests): Base64-decode, decrypt with the zero IV. */
    public static String decrypt(String body, String key) throws GeneralSecurityException {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(body.trim());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not Base64", e);
        }
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.DECRYPT_MODE, key(key), ZERO_IV);
        return new String(c.doFinal(sealed), StandardCharsets.UTF_8);
    }

    private static SecretKeySpec key(String key) {
        byte[] raw = isHexKey(key) ? HexFormat.of().parseHex(key) : Base64.getDecoder().decode(key);
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("a notification key is 16 bytes");
        }
        return new SecretKeySpec(raw, "AES");
    }
}
