package io.kulipa.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Digests of secrets (SHA-256, hex) and fresh random secrets: every credential of every dialect
 * (merchant tokens, MoMo keys and tokens, Jenga keys, secrets and tokens) is kept only as its
 * digest, compared in constant time.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes: 256 bits, more than any guessing can cover. */
    private static final int SECRET_BYTES = 32;

    private Secrets() {
    }

    public static String digest(String clear) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(clear.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** A new random secret as URL-safe base64 without padding. */
    public static String random() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Compares two digests in constant time. */
    public static boolean sameDigest(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }
}
