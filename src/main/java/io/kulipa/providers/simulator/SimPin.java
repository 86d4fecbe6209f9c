package io.kulipa.providers.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A simulated customer's PIN as the operator keeps it: a slow salted hash (PBKDF2 with
 * HMAC-SHA256, a random salt per wallet), never the PIN itself, compared in constant time. A
 * four-digit PIN has only ten thousand values, so the hash cannot make a stolen table safe; it
 * makes each guess cost as much as a real operator would make it, and keeps the PIN out of
 * backups, dumps and query logs. Stored as {@code pbkdf2-sha256$iterations$salt$hash} (Base64),
 * so that the iteration count can grow without making older hashes unreadable.
 */
public final class SimPin {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.2 s a check on a small machine. */
    public static final int PBKDF2_ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final String SCHEME = "pbkdf2-sha256";
    /** A stored hash names its iterations; more than this is not a hash this code wrote. */
    private static final int ITERATIONS_MAX = 10_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SimPin() {
    }

    public static String hash(String pin) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + PBKDF2_ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(pin, salt, PBKDF2_ITERATIONS));
    }

    /**
     * Whether {@code candidate} is the PIN: the one hashed in {@code storedHash}, or the
     * operator's opening PIN when the wallet never chose one ({@code storedHash} null).
     */
    public static boolean matches(String storedHash, String openingPin, String candidate) {
        if (candidate == null) {
            return false;
        }
        if (storedHash == null) {
            return MessageDigest.isEqual(openingPin.getBytes(StandardCharsets.UTF_8),
                    candidate.getBytes(StandardCharsets.UTF_8));
        }
        String[] parts = storedHash.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (iterations < 1 || iterations > ITERATIONS_MAX) {
            return false;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(candidate, b64.decode(parts[2]), iterations));
    }

    private static byte[] derive(String pin, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(pin.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
