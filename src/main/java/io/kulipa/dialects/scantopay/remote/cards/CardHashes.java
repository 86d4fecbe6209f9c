package io.kulipa.dialects.scantopay.remote.cards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed hash (HMAC-SHA-256) of a PAN and expiry, to recognise the same card again (a 3-D Secure
 * look-up and the purchase that uses it, a retried purchase) without keeping the PAN: a plain
 * SHA-256 of a PAN could be reversed by trying every PAN of a BIN. The key is 32 random bytes
 * in the data directory ({@link #KEY_FILE}, mode 600), made on first start.
 */
public final class CardHashes {

    public static final String KEY_FILE = "scantopay-remote-card-hash.key";
    private static final int KEY_BYTES = 32;

    private final byte[] key;

    private CardHashes(byte[] key) {
        this.key = key;
    }

    public static CardHashes in(Path dir) {
        Path file = dir.resolve(KEY_FILE);
        try {
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(dir);
                byte[] made = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(made);
                Path tmp = dir.resolve(KEY_FILE + ".tmp");
                Files.deleteIfExists(tmp);
                try {
                    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(tmp);
                }
                Files.writeString(tmp, HexFormat.of().formatHex(made));
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new CardHashes(HexFormat.of().parseHex(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    public String of(String pan, String expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((pan + "|" + expiry).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }
}
