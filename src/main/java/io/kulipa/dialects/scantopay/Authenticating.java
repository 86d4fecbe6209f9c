package io.kulipa.dialects.scantopay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kulipa.payments.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Who calls: HTTP Basic ({@code username:password}) for a BASIC profile, or a JWT Bearer token
 * for a BEARER profile: RS256, signed with the merchant's private key whose public key the profile
 * holds, {@code sub} the username, {@code exp} no later than {@link #TOKEN_LIFETIME_MAX} after
 * {@code iat}. A profile answers only in its own mode: a Basic password of a BEARER profile, or a
 * JWT of a BASIC one, is refused.
 */
public final class Authenticating {

    /** The longest a merchant's JWT may live. */
    public static final Duration TOKEN_LIFETIME_MAX = Duration.ofHours(1);
    /** Clock difference tolerated on iat/exp. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final int TOKEN_CHARS_MAX = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProfileStore profiles;
    private final Clock clock;

    public Authenticating(ProfileStore profiles, Clock clock) {
        this.profiles = profiles;
        this.clock = clock;
    }

    /** The profile of an Authorization header, or empty (the caller answers 401). */
    public Optional<Profile> profile(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(authorization.substring(6).trim());
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(authorization.substring(7).trim());
        }
        return Optional.empty();
    }

    private Optional<Profile> basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String password = decoded.substring(colon + 1);
        return profiles.byUsername(decoded.substring(0, colon))
                .filter(p -> p.mode() == Profile.Mode.BASIC && p.passwordDigest() != null
                        && Secrets.sameDigest(p.passwordDigest(), Secrets.digest(password)));
    }

    private Optional<Profile> bearer(String token) {
        if (token.length() > TOKEN_CHARS_MAX) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(b64.decode(parts[0]));
            JsonNode claims = JSON.readTree(b64.decode(parts[1]));
            if (header == null || claims == null || !"RS256".equals(header.path("alg").asText())
                    || !claims.path("sub").isTextual() || !claims.path("exp").canConvertToLong()
                    || !claims.path("iat").canConvertToLong()) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            Instant iat = Instant.ofEpochSecond(claims.path("iat").asLong());
            Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong());
            if (exp.isBefore(now.minus(CLOCK_SKEW)) || iat.isAfter(now.plus(CLOCK_SKEW))
                    || exp.isAfter(iat.plus(TOKEN_LIFETIME_MAX))) {
                return Optional.empty();
            }
            Optional<Profile> profile = profiles.byUsername(claims.path("sub").asText())
                    .filter(p -> p.mode() == Profile.Mode.BEARER && p.publicKeyPem() != null);
            if (profile.isEmpty()) {
                return Optional.empty();
            }
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey(profile.get().publicKeyPem()));
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(b64.decode(parts[2])) ? profile : Optional.empty();
        } catch (IllegalArgumentException | java.io.IOException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** An RSA public key in PEM (SubjectPublicKeyInfo); throws when it is not one. */
    public static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (IllegalArgumentException e) {
            throw new java.security.spec.InvalidKeySpecException("not Base64");
        }
    }
}
