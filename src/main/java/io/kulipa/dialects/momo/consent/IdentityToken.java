package io.kulipa.dialects.momo.consent;

import java.time.Instant;
import java.util.UUID;

/** An access or refresh token bought with a consent, bound to its customer and API user. */
public record IdentityToken(Kind kind, UUID consentId, UUID merchantId, UUID apiUserId, String msisdn, String scope,
                            Instant issuedAt, Instant expiresAt) {

    public enum Kind { ACCESS, REFRESH }
}
