package io.kulipa.ledger;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reading the ledger; changes go through the payment store, in the payment's transaction. */
public interface LedgerStore {

    Optional<Balance> balance(String accountCode);

    List<Balance> merchantWallets(UUID merchantId);

    /** The pending transfer of a payment that has not been resolved yet, if any. */
    Optional<UUID> openReservation(UUID paymentId);

    /** Applies ops in a transaction of their own (funding, tests). */
    void apply(UUID paymentId, List<LedgerOp> ops);

    /** Checks every invariant over the whole ledger; the list of what is broken, empty when sound. */
    List<String> verify();
}
