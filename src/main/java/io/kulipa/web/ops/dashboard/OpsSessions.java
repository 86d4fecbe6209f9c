package io.kulipa.web.ops.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's login sessions, without storage: a session is a cookie
 * {@code v1.<expiry epoch seconds>.<nonce>.<HMAC-SHA256>} keyed by a digest of the admin token, so
 * every node that shares the token accepts it, and changing the token ends every session. Each
 * session has its CSRF token, an HMAC of the session, put in every form and checked on every
 * POST. Neither the admin token nor anything derived from it appears in a URL.
 */
final class OpsSessions {

    /** How long a login lasts. */
    static final Duration LIFETIME = Duration.ofHours(8);
    private static final int NONCE_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;
    private final byte[] adminToken;

    OpsSessions(String adminToken) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        try {
            this.key = MessageDigest.getInstance("SHA-256").digest(("kulipa-ops-dashboard:" + adminToken)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** True when the typed token is the admin token (constant time). */
    boolean admin(String typed) {
        return typed != null && MessageDigest.isEqual(typed.getBytes(StandardCharsets.UTF_8), adminToken);
    }

    /** A new session cookie value, valid until {@code now + LIFETIME}. */
    String issue(Instant now) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        String body = "v1." + now.plus(LIFETIME).getEpochSecond() + "." + B64.encodeToString(nonce);
        return body + "." + mac("session:" + body);
    }

    /** The session if the cookie is one this key made and it has not expired. */
    Optional<String> valid(String cookie, Instant now) {
        if (cookie == null || cookie.length() > 200) {
            return Optional.empty();
        }
        int last = cookie.lastIndexOf('.');
        if (last < 0) {
            return Optional.empty();
        }
        String body = cookie.substring(0, last);
        String[] parts = body.split("\\.");
        if (parts.length != 3 || !parts[0].equals("v1")) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac("session:" + body).getBytes(StandardCharsets.UTF_8),
                cookie.substring(last + 1).getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(parts[1])).isAfter(now) ? Optional.of(cookie) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The CSRF token of a session. */
    String csrf(String session) {
        return mac("csrf:" + session);
    }

    boolean csrfMatches(String session, String sent) {
        return sent != null && MessageDigest.isEqual(csrf(session).getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return B64.encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }
}
