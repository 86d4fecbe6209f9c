package io.kulipa.dialects.scantopay.remote.managers;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/** A wallet provider's RSA public key in PEM ({@code BEGIN PUBLIC KEY}, X.509), at least 2048 bits. */
public final class RsaKeys {

    public static final int PEM_MAX_CHARS = 4_096;
    public static final int MIN_KEY_BITS = 2_048;

    private RsaKeys() {
    }

    public static Optional<RSAPublicKey> parse(String pem) {
        if (pem == null || pem.length() > PEM_MAX_CHARS || !pem.contains("BEGIN PUBLIC KEY")) {
            return Optional.empty();
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            var key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                    .decode(base64)));
            return key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_KEY_BITS
                    ? Optional.of(rsa) : Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
