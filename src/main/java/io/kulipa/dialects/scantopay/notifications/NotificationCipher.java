package io.kulipa.dialects.scantopay.notifications;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a notification body is encrypted with the merchant's notification key: AES-128-CBC with
 * PKCS#5 padding and a fresh random 16-byte IV; the body POSTed is Base64 of IV followed by the
 * ciphertext. The key is 16 random bytes, handed to the merchant as Base64 (24 characters).
 */
public final class NotificationCipher {

    public static final int KEY_BYTES = 16;
    public static final int IV_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";

    private NotificationCipher() {
    }

    /** A new notification key, Base64. */
    public static String newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public static String encrypt(String json, String keyBase64) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, key(keyBase64), new IvParameterSpec(iv));
            byte[] sealed = c.doFinal(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed)
                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CBC is not available", e);
        }
    }

    /** What a merchant does with the body (and the tests): Base64, split the IV, decrypt. */
    public static String decrypt(String body, String keyBase64) throws GeneralSecurityException {
        byte[] all = Base64.getDecoder().decode(body.trim());
        if (all.length <= IV_BYTES) {
            throw new GeneralSecurityException("too short");
        }
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.DECRYPT_MODE, key(keyBase64), new IvParameterSpec(all, 0, IV_BYTES));
        return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    }

    private static SecretKeySpec key(String keyBase64) {
        byte[] key = Base64.getDecoder().decode(keyBase64);
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a notification key is 16 bytes");
        }
        return new SecretKeySpec(key, "AES");
    }
}
