package io.kulipa.payments;

import java.time.Instant;

/**
 * Deletes records that are only kept for a while: finished outbox work, callback attempts and
 * the simulated handsets' SMS. Payments, their histories and the ledger are never touched.
 * Implemented in {@code store}.
 */
public interface RetentionStore {

    /** What one batch deleted, or {@link #NOT_THIS_NODE} when another node is cleaning up now. */
    record Deleted(int callbackAttempts, int outboxRows, int sms, int failedOutboxRows, int simTransactions,
                   int simApprovals) {

        public static final Deleted NOT_THIS_NODE = new Deleted(0, 0, 0, 0, 0, 0);

        public int total() {
            return callbackAttempts + outboxRows + sms + failedOutboxRows + simTransactions + simApprovals;
        }
    }

    /**
     * In one transaction, and only while no other node is doing the same: deletes at most
     * {@code rows} of each kind older than {@code before} (FAILED outbox rows only when older than
     * {@code failedBefore}), callback attempts before the outbox rows they name, which go only once
     * no attempt names them; the simulated operators' finished transactions and decided approvals.
     */
    Deleted deleteOlderThan(Instant before, Instant failedBefore, int rows);

    /** The same with one age for every kind. */
    default Deleted deleteOlderThan(Instant before, int rows) {
        return deleteOlderThan(before, before, rows);
    }
}
