package io.kulipa.signatures;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/** Reading merchants' public keys, making Kulipa's callback keys, and their PEM and key ids. */
public final class SignatureKeys {

    /** A public key text longer than this is refused unread (an RSA-8192 PEM is under 1.5 KB). */
    public static final int MAX_PUBLIC_KEY_CHARS = 4096;
    /** What Kulipa signs callbacks with: ECDSA on P-256 with SHA-256, the first of pawaPay's choices that is small and fast. */
    public static final SignatureAlgorithm CALLBACK_ALGORITHM = SignatureAlgorithm.ECDSA_P256_SHA256;

    private SignatureKeys() {
    }

    /**
     * A public key from PEM ({@code -----BEGIN PUBLIC KEY-----}) or base64 of its DER
     * SubjectPublicKeyInfo: an EC key on P-256 or P-384, or an RSA key of at least 2048 bits.
     */
    public static Optional<PublicKey> publicKey(String text) {
        if (text == null || text.length() > MAX_PUBLIC_KEY_CHARS) {
            return Optional.empty();
        }
        String b64 = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String type : new String[] {"EC", "RSA"}) {
            try {
                PublicKey key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
                return SignatureAlgorithm.implied(key).isPresent() ? Optional.of(key) : Optional.empty();
            } catch (GeneralSecurityException e) {
                // Not a key of this type; try the next.
            }
        }
        return Optional.empty();
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** A new key pair for signing one merchant's callbacks. */
    public static KeyPair newCallbackKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256", e);
        }
    }

    static PrivateKey callbackPrivateKey(String pkcs8Base64) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(pkcs8Base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored callback signing key cannot be read", e);
        }
    }

    /** A key's id: "kulipa-" and the first 16 hex digits of the SHA-256 of its DER encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "kulipa-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
