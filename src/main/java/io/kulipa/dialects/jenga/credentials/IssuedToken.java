package io.kulipa.dialects.jenga.credentials;

import java.time.Instant;
import java.util.UUID;

/** An access token issued to a merchant, as stored beside the digest of its clear value. */
public record IssuedToken(UUID merchantId, Instant issuedAt, Instant expiresAt) {
}
