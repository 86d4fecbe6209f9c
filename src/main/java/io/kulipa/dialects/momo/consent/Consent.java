package io.kulipa.dialects.momo.consent;

import io.kulipa.dialects.momo.credentials.MomoProduct;
import java.time.Instant;
import java.util.UUID;

/**
 * A merchant's request to read a customer's identity (MoMo's KYC consent, an OpenID CIBA
 * request). Its auth_req_id is a secret the merchant holds; the store keeps only its digest.
 */
public record Consent(UUID id, UUID merchantId, UUID apiUserId, MomoProduct product, String msisdn, String scope,
                      String accessType, String callbackUrl, Status status, Instant expiresAt, Instant createdAt) {

    /** REDEEMED: approved and exchanged for tokens, which happens once. */
    public enum Status { PENDING, APPROVED, REJECTED, EXPIRED, REDEEMED }
}
