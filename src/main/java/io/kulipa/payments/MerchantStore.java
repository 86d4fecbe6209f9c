package io.kulipa.payments;

import java.util.Optional;
import java.util.UUID;

/** Persistence of merchants and their API tokens (kept as digests, never in clear). */
public interface MerchantStore {

    Optional<Merchant> byTokenDigest(String tokenDigest);

    Optional<Merchant> byId(UUID id);

    Optional<Merchant> byName(String name);

    void insert(Merchant merchant, String tokenDigest);

    void replaceToken(UUID merchantId, String tokenDigest);

    void setCallbackUrl(UUID merchantId, PaymentKind kind, String url);
}
