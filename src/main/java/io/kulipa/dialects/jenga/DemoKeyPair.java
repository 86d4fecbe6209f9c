package io.kulipa.dialects.jenga;

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
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * The sandbox demo merchant's signing key pair: a 2048-bit RSA key whose private half is written
 * beside demo-merchant.json (PKCS#8 PEM, mode 600, so {@code openssl dgst -sha256 -sign} reads it)
 * and kept across restarts; the public half is what Kulipa verifies signatures with.
 */
final class DemoKeyPair {

    static final String PRIVATE_KEY_FILE = "jenga-demo-private-key.pem";
    static final String PUBLIC_KEY_FILE = "jenga-demo-public-key.pem";
    static final int KEY_BITS = 2_048;
    private static final int PEM_LINE_CHARS = 64;

    private DemoKeyPair() {
    }

    /** The public key PEM of the pair in {@code dir}: the one already there, or a new one written now. */
    static String publicPem(Path dir) {
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        KeyPair pair = read(privateFile).orElseGet(() -> {
            KeyPair made = generate();
            write(privateFile, pem("PRIVATE KEY", made.getPrivate().getEncoded()));
            return made;
        });
        String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
        write(dir.resolve(PUBLIC_KEY_FILE), publicPem);
        return publicPem;
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

    /** A private key written by an earlier start, with its public key derived from it. */
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

    /** Writes through a temporary file made with mode 600, so the key is never readable by others. */
    private static void write(Path file, String text) {
        try {
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
