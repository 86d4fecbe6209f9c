package io.kulipa.cards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The card vault's key: 32 bytes given as 64 hex digits in {@code KULIPA_CARD_KEY} (the sandbox
 * writes one to {@code card-key.hex} in its data dir when none is set). Two keys are derived from
 * it with HMAC-SHA256 so that neither use weakens the other: one encrypts PANs with AES-256-GCM
 * (a random 96-bit nonce per PAN, the card id as associated data so a ciphertext cannot be moved
 * to another row), one makes the keyed lookup hash (HMAC-SHA256 of the PAN) that finds a card
 * without decrypting any. The key itself is never logged; {@link #id()} names it in rows.
 */
public final class CardKey {

    /** The setting without its KULIPA_ prefix. */
    public static final String SETTING = "CARD_KEY";
    public static final String SANDBOX_FILE = "card-key.hex";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryption;
    private final SecretKeySpec lookup;
    private final String id;

    private CardKey(byte[] master) {
        this.encryption = new SecretKeySpec(derive(master, "kulipa card encryption"), "AES");
        this.lookup = new SecretKeySpec(derive(master, "kulipa card lookup"), "HmacSHA256");
        this.id = HexFormat.of().formatHex(derive(master, "kulipa card key id"), 0, 4);
    }

    /** The key of 64 hex digits; the message names the setting, never the value. */
    public static CardKey fromHex(String hex, String source) {
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " must be 64 hex digits");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(source + " must be 64 hex digits (32 bytes)");
        }
        return new CardKey(bytes);
    }

    /** The sandbox's key: the one in {@code card-key.hex} of the data dir, made (owner-only) on first start. */
    public static CardKey sandbox(Path dataDir) {
        Path file = dataDir.resolve(SANDBOX_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[KEY_BYTES];
                RANDOM.nextBytes(key);
                Files.createDirectories(dataDir);
                Path tmp = Files.createTempFile(dataDir, "card-key", ".tmp");
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: the data dir's own protection is all there is
                }
                Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n");
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return fromHex(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the sandbox card key " + file, e);
        }
    }

    /** A short name of the key (derived, not the key), kept with each ciphertext. */
    public String id() {
        return id;
    }

    /** The keyed lookup hash of a PAN, in hex. */
    public String lookupHash(String pan) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(lookup);
            return HexFormat.of().formatHex(mac.doFinal(pan.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** nonce || ciphertext || tag of the PAN, bound to {@code aad} (the card's id). */
    public byte[] encrypt(String pan, byte[] aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            byte[] sealed = c.doFinal(pan.getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The PAN sealed by {@link #encrypt}; fails when the ciphertext or its associated data were changed. */
    public String decrypt(byte[] sealed, byte[] aad) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            c.updateAAD(aad);
            return new String(c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES), StandardCharsets.US_ASCII);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("a card ciphertext does not open with this key (changed, or another key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] derive(byte[] master, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Constant-time comparison of two lookup hashes. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "CardKey[" + id + "]";
    }

    static final Set<Integer> PAN_LENGTHS = Set.of(13, 14, 15, 16, 17, 18, 19);
}
