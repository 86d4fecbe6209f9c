package io.kulipa.signatures;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The signature algorithms pawaPay accepts for signed requests (its dashboard docs: RSASSA-PSS
 * with SHA-512, RSASSA-PKCS1-v1_5 with SHA-256, ECDSA on P-256 with SHA-256 and on P-384 with
 * SHA-384), under their names in RFC 9421's registry. ECDSA signatures are the raw r||s of
 * RFC 9421 section 3.3.4, not DER.
 */
public enum SignatureAlgorithm {
    ECDSA_P256_SHA256("ecdsa-p256-sha256", "SHA256withECDSAinP1363Format", "EC", 256),
    ECDSA_P384_SHA384("ecdsa-p384-sha384", "SHA384withECDSAinP1363Format", "EC", 384),
    RSA_PSS_SHA512("rsa-pss-sha512", "RSASSA-PSS", "RSA", 0),
    RSA_V1_5_SHA256("rsa-v1_5-sha256", "SHA256withRSA", "RSA", 0);

    /** RSA keys shorter than this are refused (NIST SP 800-57: 2048 bits at least). */
    public static final int RSA_MIN_BITS = 2048;

    private final String wireName;
    private final String jdkName;
    private final String keyType;
    private final int curveBits;

    SignatureAlgorithm(String wireName, String jdkName, String keyType, int curveBits) {
        this.wireName = wireName;
        this.jdkName = jdkName;
        this.keyType = keyType;
        this.curveBits = curveBits;
    }

    /** The name in a {@code Signature-Input}'s {@code alg} parameter. */
    public String wireName() {
        return wireName;
    }

    public static Optional<SignatureAlgorithm> named(String wireName) {
        return Arrays.stream(values()).filter(a -> a.wireName.equals(wireName)).findFirst();
    }

    /** True when a key of this kind and size can make or check this algorithm's signatures. */
    public boolean fits(Key key) {
        if (!key.getAlgorithm().equals(keyType)) {
            return false;
        }
        if (key instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() == curveBits;
        }
        return key instanceof RSAKey rsa && rsa.getModulus().bitLength() >= RSA_MIN_BITS;
    }

    /** The algorithm a key implies when a signature does not name one; RSA keys default to PSS. */
    public static Optional<SignatureAlgorithm> implied(Key key) {
        return Arrays.stream(values()).filter(a -> a.fits(key)).findFirst();
    }

    Signature newSignature() throws GeneralSecurityException {
        Signature s = Signature.getInstance(jdkName);
        if (this == RSA_PSS_SHA512) {
            s.setParameter(new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1));
        }
        return s;
    }
}
