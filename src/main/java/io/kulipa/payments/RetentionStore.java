package io.kulipa.payments;

import java.time.Instant;

/**
 * Deletes records that are only kept for a while: finished outbox work, callback attempts and
 * the simulated handsets' SMS. Payments, their histories and the ledger are never touched.
 * Implemented in {@code store}.
 */
public interface RetentionStore {

    /** What one batch deleted, or {@link #NOT_THIS_NODE} when another node is cleaning up now. */
    record Deleted(int callbackAttempts, int outboxRows, int sms) {

        public static final Deleted NOT_THIS_NODE = new Deleted(0, 0, 0);

        public int total() {
            return callbackAttempts + outboxRows + sms;
        }
    }

    /**
     * In one transaction, and only while no other node is doing the same: deletes at most
     * {@code rows} of each kind older than {@code before}, callback attempts before the outbox
     * rows they name, which go only once no attempt names them.
     */
    Deleted deleteOlderThan(Instant before, int rows);
}
