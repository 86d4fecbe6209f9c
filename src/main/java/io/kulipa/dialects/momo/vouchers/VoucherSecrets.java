package io.kulipa.dialects.momo.vouchers;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Tokens, secrets and OTPs of vouchers. Secrets and OTPs are short digit strings a person types,
 * so they are kept only as salted PBKDF2 hashes: a copy of the database does not give them away
 * cheaply, and the attempt bound stops guessing through the API.
 */
public final class VoucherSecrets {

    public static final int TOKEN_DIGITS = 12;
    public static final int SECRET_DIGITS = 8;
    public static final int OTP_DIGITS = 6;
    private static final int SALT_BYTES = 16;
    private static final int HASH_ITERATIONS = 10_000;
    private static final int HASH_BITS = 256;
    /** The longest secret or OTP accepted for checking: longer input is wrong anyway and costs hashing time. */
    public static final int MAX_INPUT_CHARS = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private VoucherSecrets() {
    }

    public static String digits(int count) {
        StringBuilder b = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            b.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return b.toString();
    }

    /** {@code pbkdf2$<iterations>$<salt>$<hash>}, all Base64. */
    public static String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return "pbkdf2$" + HASH_ITERATIONS + "$" + b64(salt) + "$" + b64(derive(secret, salt, HASH_ITERATIONS));
    }

    public static boolean matches(String candidate, String stored) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_INPUT_CHARS || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2")) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(candidate, salt, Integer.parseInt(parts[1])));
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}
