package io.kulipa.dialects.jenga.credentials;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * RSA public keys in PEM as Jenga's guide makes them ({@code openssl rsa -pubout}: an X.509
 * SubjectPublicKeyInfo under "BEGIN PUBLIC KEY"), and the check of a request signature:
 * base64 of SHA256withRSA (PKCS#1 v1.5) over the signed text. The JDK reads these keys, so no
 * PEM library is needed; the PKCS#1 "BEGIN RSA PUBLIC KEY" form is wrapped into X.509 here.
 */
public final class PublicKeys {

    /** A PEM longer than this is not a public key of a size anyone uses (4096-bit keys are ~800). */
    public static final int PEM_MAX_CHARS = 4_096;
    /** Keys below 2048 bits are refused, as every current guide says. */
    public static final int MIN_KEY_BITS = 2_048;
    /** A signature of a 4096-bit key is 684 base64 characters; anything far longer is not one. */
    private static final int SIGNATURE_MAX_CHARS = 2_048;

    /** The DER prefix that wraps a PKCS#1 RSAPublicKey into a SubjectPublicKeyInfo. */
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PublicKeys() {
    }

    /** The key of a PEM text, or empty when it is not an RSA public key of at least 2048 bits. */
    public static Optional<PublicKey> parse(String pem) {
        if (pem == null || pem.length() > PEM_MAX_CHARS) {
            return Optional.empty();
        }
        boolean pkcs1 = pem.contains("BEGIN RSA PUBLIC KEY");
        String base64 = pem.replaceAll("-----(BEGIN|END) (RSA )?PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            if (pkcs1) {
                der = wrapPkcs1(der);
            }
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_KEY_BITS) {
                return Optional.of(key);
            }
            return Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code signatureBase64} is the key holder's SHA256withRSA signature of {@code text}. */
    public static boolean verifies(PublicKey key, String text, String signatureBase64) {
        if (signatureBase64 == null || signatureBase64.isBlank() || signatureBase64.length() > SIGNATURE_MAX_CHARS) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(text.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getMimeDecoder().decode(signatureBase64.trim()));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] bitString = new byte[pkcs1.length + 1];
        System.arraycopy(pkcs1, 0, bitString, 1, pkcs1.length);
        byte[] bits = der((byte) 0x03, bitString);
        byte[] body = new byte[RSA_ALGORITHM_ID.length + bits.length];
        System.arraycopy(RSA_ALGORITHM_ID, 0, body, 0, RSA_ALGORITHM_ID.length);
        System.arraycopy(bits, 0, body, RSA_ALGORITHM_ID.length, bits.length);
        return der((byte) 0x30, body);
    }

    private static byte[] der(byte tag, byte[] content) {
        int n = content.length;
        byte[] length = n < 0x80 ? new byte[] {(byte) n}
                : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
                : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + length.length + n];
        out[0] = tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, n);
        return out;
    }
}
