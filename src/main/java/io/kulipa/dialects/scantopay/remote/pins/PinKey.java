package io.kulipa.dialects.scantopay.remote.pins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The PIN-encryption key the Remote API publishes (standing in for Scan to Pay's PinSecLib): an
 * RSA key pair whose private half stays in the data directory (PKCS#8 PEM, mode 600, kept across
 * starts) and whose public half a wallet encrypts the ISO 9564 format 0 PIN block with, under
 * RSA-OAEP with SHA-256 and MGF1-SHA-256. {@code pinData.encryptedData} is the base64 of that.
 */
public final class PinKey {

    public static final String PRIVATE_KEY_FILE = "scantopay-remote-pin-key.pem";
    public static final String PUBLIC_KEY_FILE = "scantopay-remote-pin-key.pub.pem";
    public static final String ALGORITHM = "RSA-OAEP-256";
    static final int KEY_BITS = 2_048;
    private static final int PEM_LINE_CHARS = 64;
    /** The base64 of one 2048-bit RSA block is 344 characters; anything much longer is not one. */
    public static final int ENCRYPTED_MAX_CHARS = 1_024;
    private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            PSource.PSpecified.DEFAULT);

    private final KeyPair pair;
    private final String publicPem;
    private final String keyId;

    private PinKey(KeyPair pair) {
        this.pair = pair;
        this.publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
        try {
            this.keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(pair.getPublic().getEncoded())).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key of {@code dir}: the one an earlier start wrote, or a new one written now. */
    public static PinKey in(Path dir) {
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        KeyPair pair = read(privateFile).orElseGet(() -> {
            KeyPair made = generate();
            write(privateFile, pem("PRIVATE KEY", made.getPrivate().getEncoded()));
            return made;
        });
        PinKey key = new PinKey(pair);
        write(dir.resolve(PUBLIC_KEY_FILE), key.publicPem);
        return key;
    }

    public String publicPem() {
        return publicPem;
    }

    /** The first 16 hex digits of the SHA-256 of the public key: which key encrypted a block. */
    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return pair.getPublic();
    }

    /** The PIN block inside {@code base64}, or empty when it is not one encrypted under this key. */
    public Optional<byte[]> decrypt(String base64) {
        if (base64 == null || base64.length() > ENCRYPTED_MAX_CHARS) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.DECRYPT_MODE, pair.getPrivate(), OAEP);
            return Optional.of(cipher.doFinal(Base64.getMimeDecoder().decode(base64.strip())));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** What a wallet (or PinSecLib) does: the base64 of the block encrypted under {@code key}. */
    public static String encrypt(PublicKey key, byte[] block) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, OAEP);
            return Base64.getEncoder().encodeToString(cipher.doFinal(block));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a PIN block", e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make RSA keys", e);
        }
    }

    private static Optional<KeyPair> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String base64 = Files.readString(file).replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            var key = rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                return Optional.empty();
            }
            var pub = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return Optional.of(new KeyPair(pub, key));
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(PEM_LINE_CHARS, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
