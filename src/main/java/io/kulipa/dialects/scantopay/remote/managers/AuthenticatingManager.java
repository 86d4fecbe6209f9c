package io.kulipa.dialects.scantopay.remote.managers;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kulipa.payments.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Authenticates one Remote API request on its own (no session, no cookie): {@code Authorization:
 * Basic} for a BASIC manager, {@code Authorization: Bearer <JWT>} for a BEARER manager. The JWT is
 * signed with the wallet provider's private key (RS256/384/512 or PS256/384/512), names the
 * manager's username as {@code iss} (or {@code sub}), carries an {@code exp} no further than
 * {@link #MAX_JWT_LIFETIME} after its {@code iat} (or now) and is verified against the manager's
 * registered public key. The wrong mode for the manager is a 401, as a bad credential is.
 */
public final class AuthenticatingManager {

    /** A token is short-lived: one that claims to live longer than this is refused. */
    public static final Duration MAX_JWT_LIFETIME = Duration.ofHours(1);
    /** Clocks of the provider and of Kulipa may differ this much. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** No header of a sane credential is longer; a 4096-bit RS512 JWT is about 1 KB. */
    public static final int AUTHORIZATION_MAX_CHARS = 8_192;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    /** The manager, or why the request is refused (the 401's message). */
    public record Result(Manager manager, String problem) {
    }

    private final ManagerStore store;
    private final Clock clock;
    private final Function<String, Optional<RSAPublicKey>> keys;

    public AuthenticatingManager(ManagerStore store, Clock clock, Function<String, Optional<RSAPublicKey>> keys) {
        this.store = store;
        this.clock = clock;
        this.keys = keys;
    }

    public Result authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return refuse("Authorization: required (Basic or Bearer, as the manager is configured)");
        }
        if (authorization.length() > AUTHORIZATION_MAX_CHARS) {
            return refuse("Authorization: too long");
        }
        String h = authorization.strip();
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(h.substring(6).strip());
        }
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(h.substring(7).strip());
        }
        return refuse("Authorization: Basic or Bearer only");
    }

    private Result basic(String encoded) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return refuse("Authorization: not base64 of username:password");
        }
        int colon = pair.indexOf(':');
        if (colon <= 0) {
            return refuse("Authorization: not base64 of username:password");
        }
        Optional<Manager> found = store.managerByUsername(pair.substring(0, colon));
        if (found.isEmpty()) {
            return refuse("Authorization: bad credentials");
        }
        Manager m = found.get();
        if (m.mode() != Manager.AuthMode.BASIC) {
            return refuse("Authorization: this manager authenticates with a Bearer JWT, not Basic");
        }
        return Secrets.sameDigest(Secrets.digest(pair.substring(colon + 1)), m.passwordDigest())
                ? new Result(m, null) : refuse("Authorization: bad credentials");
    }

    private Result bearer(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refuse("Authorization: the Bearer token is not a signed JWT");
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            return refuse("Authorization: the JWT must be signed with RS256/384/512 or PS256/384/512");
        }
        String username = claims.getIssuer() != null ? claims.getIssuer() : claims.getSubject();
        if (username == null) {
            return refuse("Authorization: the JWT names no manager (iss)");
        }
        Optional<Manager> found = store.managerByUsername(username);
        if (found.isEmpty()) {
            return refuse("Authorization: bad credentials");
        }
        Manager m = found.get();
        if (m.mode() != Manager.AuthMode.BEARER) {
            return refuse("Authorization: this manager authenticates with Basic, not a Bearer JWT");
        }
        Optional<RSAPublicKey> key = keys.apply(m.publicKeyPem());
        try {
            if (key.isEmpty() || !jwt.verify(new RSASSAVerifier(key.get()))) {
                return refuse("Authorization: the JWT's signature does not verify with the registered public key");
            }
        } catch (JOSEException | IllegalArgumentException e) {
            return refuse("Authorization: the JWT's signature does not verify with the registered public key");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return refuse("Authorization: the JWT has no exp");
        }
        if (!exp.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
            return refuse("Authorization: the JWT has expired");
        }
        Date iat = claims.getIssueTime();
        Instant from = iat == null ? now : iat.toInstant();
        if (iat != null && iat.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            return refuse("Authorization: the JWT is issued in the future (iat)");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            return refuse("Authorization: the JWT is not valid yet (nbf)");
        }
        if (Duration.between(from, exp.toInstant()).compareTo(MAX_JWT_LIFETIME.plus(CLOCK_SKEW)) > 0) {
            return refuse("Authorization: the JWT lives longer than " + MAX_JWT_LIFETIME.toMinutes() + " minutes");
        }
        return new Result(m, null);
    }

    private static Result refuse(String problem) {
        return new Result(null, problem);
    }
}
