package io.kulipa.ledger;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One change to the ledger, applied in the same transaction as the payment change that causes
 * it. Every op moves the same amount out of one account and into another, so every transfer
 * balances and the sum over all accounts stays zero.
 */
public sealed interface LedgerOp {

    /** Money moves at once: debit one account, credit the other. */
    record Post(UUID transferId, AccountRef debit, AccountRef credit, BigDecimal amount) implements LedgerOp {
        public Post {
            positive(amount);
        }
    }

    /** Money is set aside: it leaves the debit account's available balance but is not moved yet. */
    record Reserve(UUID transferId, AccountRef debit, AccountRef credit, BigDecimal amount) implements LedgerOp {
        public Reserve {
            positive(amount);
        }
    }

    /** A reservation is completed: the money moves. */
    record PostPending(UUID transferId, UUID pendingId) implements LedgerOp {
    }

    /** A reservation is released: nothing moves. */
    record VoidPending(UUID transferId, UUID pendingId) implements LedgerOp {
    }

    private static void positive(BigDecimal amount) {
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("a transfer moves a positive amount");
        }
    }
}
