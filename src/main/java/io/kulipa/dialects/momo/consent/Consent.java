package io.kulipa.dialects.momo.consent;

import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.states.TransitionTable;
import java.time.Instant;
import java.util.UUID;

/**
 * A merchant's request to read a customer's identity (MoMo's KYC consent, an OpenID CIBA
 * request). Its auth_req_id is a secret the merchant holds; the store keeps only its digest.
 */
public record Consent(UUID id, UUID merchantId, UUID apiUserId, MomoProduct product, String msisdn, String scope,
                      String accessType, String callbackUrl, Status status, Instant expiresAt, Instant createdAt) {

    /** REDEEMED: approved and exchanged for tokens, which happens once. */
    public enum Status {
        PENDING,
        APPROVED,
        REJECTED,
        EXPIRED,
        REDEEMED;

        /** The consent's state machine, of the same shape as every other one (docs/states.md renders it). */
        public static final TransitionTable<Status> TABLE = TransitionTable.of("consent", PENDING)
                .allow(PENDING, APPROVED, REJECTED, EXPIRED)
                .allow(APPROVED, REDEEMED)
                .allow(REJECTED)
                .allow(EXPIRED)
                .allow(REDEEMED)
                .build();
    }
}
