package io.kulipa.dialects.momo.credentials;

import java.time.Instant;
import java.util.UUID;

/** What the store keeps of an access token besides its digest. */
public record IssuedToken(UUID apiUserId, UUID merchantId, MomoProduct product, Instant issuedAt, Instant expiresAt) {
}
