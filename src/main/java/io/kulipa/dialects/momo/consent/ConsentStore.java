package io.kulipa.dialects.momo.consent;

import java.util.Optional;
import java.util.UUID;

/** Persistence of consents and their tokens; secrets arrive as SHA-256 digests only. Implemented in {@code store}. */
public interface ConsentStore {

    void insert(Consent consent, String authReqDigest);

    Optional<Consent> byAuthReq(String authReqDigest);

    Optional<Consent> find(UUID id);

    /** Moves a consent from one status to another; false when it was not in {@code from}. */
    boolean move(UUID id, Consent.Status from, Consent.Status to);

    void insertToken(String tokenDigest, IdentityToken token);

    Optional<IdentityToken> token(String tokenDigest);
}
