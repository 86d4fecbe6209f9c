package io.kulipa.dialects.momo.consent;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Persistence of consents and their tokens; secrets arrive as SHA-256 digests only. Implemented in {@code store}. */
public interface ConsentStore {

    /** The consent and its CREATED history row, in one transaction. */
    void insert(Consent consent, String authReqDigest);

    Optional<Consent> byAuthReq(String authReqDigest);

    Optional<Consent> find(UUID id);

    /**
     * Moves a consent from one status to another with its history row, in one transaction; false,
     * writing nothing, when it was not in {@code from}. A move the table does not allow is refused
     * with {@code IllegalArgumentException}.
     */
    boolean move(UUID id, Consent.Status from, Consent.Status to);

    /**
     * APPROVED → REDEEMED together with the tokens it buys, in one transaction, so that a redeemed
     * consent always has its tokens; false, writing nothing, when it was not APPROVED.
     */
    boolean redeem(UUID id, Map<String, IdentityToken> tokensByDigest);

    Optional<IdentityToken> token(String tokenDigest);
}
