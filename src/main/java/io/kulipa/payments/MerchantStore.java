package io.kulipa.payments;

import java.util.Optional;
import java.util.UUID;

/** Persistence of merchants and their API tokens (kept as digests, never in clear). */
public interface MerchantStore {

    Optional<Merchant> byTokenDigest(String tokenDigest);

    Optional<Merchant> byId(UUID id);

    Optional<Merchant> byName(String name);

    /**
     * Adds a merchant; names are unique, and a name already taken (even by a concurrent insert)
     * is {@link NameTaken}, decided by the database rather than by a look-up before the insert.
     */
    void insert(Merchant merchant, String tokenDigest);

    /** The name of a new merchant belongs to another one already. */
    final class NameTaken extends RuntimeException {
        public NameTaken() {
            super("a merchant of that name exists already", null, false, false);
        }
    }

    void replaceToken(UUID merchantId, String tokenDigest);

    void setCallbackUrl(UUID merchantId, PaymentKind kind, String url);
}
