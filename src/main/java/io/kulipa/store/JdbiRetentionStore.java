package io.kulipa.store;

import io.kulipa.payments.RetentionStore;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/** The deletes of {@link RetentionStore} in PostgreSQL. */
public final class JdbiRetentionStore implements RetentionStore {

    /**
     * The advisory lock that lets one node at a time clean up ("KULIPA_R" as a number). It is
     * taken per transaction, so it goes with the commit and never stays on a pooled connection.
     */
    public static final long LOCK_KEY = 0x4B554C4950415F52L;

    private final Jdbi jdbi;

    public JdbiRetentionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Deleted deleteOlderThan(Instant before, Instant failedBefore, int rows) {
        return jdbi.inTransaction(h -> {
            if (!h.createQuery("SELECT pg_try_advisory_xact_lock(:key)").bind("key", LOCK_KEY)
                    .mapTo(Boolean.class).one()) {
                return Deleted.NOT_THIS_NODE;
            }
            // Attempts of a callback still being retried stay with it; the others go first, and a
            // job goes only once it has none left, so that no attempt outlives its job (OrphanRows,
            // ADR 28: no foreign key holds them together any more).
            int attempts = h.createUpdate("""
                            DELETE FROM callback_attempt WHERE id IN (
                                SELECT a.id FROM callback_attempt a
                                WHERE a.attempted_at < :before
                                  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = a.outbox_id AND o.state = 'PENDING')
                                ORDER BY a.attempted_at LIMIT :rows)""")
                    .bind("before", PaymentRows.ts(before)).bind("rows", rows).execute();
            // Only DONE work goes: a FAILED job is one that gave up, which an operator may still
            // have to look into, and PENDING work is not finished.
            int outbox = h.createUpdate("""
                            DELETE FROM outbox WHERE id IN (
                                SELECT o.id FROM outbox o
                                WHERE o.state = 'DONE' AND o.finished_at < :before
                                  AND NOT EXISTS (SELECT 1 FROM callback_attempt a WHERE a.outbox_id = o.id)
                                ORDER BY o.finished_at LIMIT :rows)""")
                    .bind("before", PaymentRows.ts(before)).bind("rows", rows).execute();
            int sms = h.createUpdate("""
                            DELETE FROM sim_sms WHERE id IN (
                                SELECT id FROM sim_sms WHERE at < :before ORDER BY at LIMIT :rows)""")
                    .bind("before", PaymentRows.ts(before)).bind("rows", rows).execute();
            // A FAILED job gave up; it is kept longer than done work (the caller's failedBefore), for
            // an operator to look into, and then goes the same way. Its payment's history stays.
            int failed = h.createUpdate("""
                            DELETE FROM outbox WHERE id IN (
                                SELECT o.id FROM outbox o
                                WHERE o.state = 'FAILED' AND o.finished_at < :before
                                  AND NOT EXISTS (SELECT 1 FROM callback_attempt a WHERE a.outbox_id = o.id)
                                ORDER BY o.finished_at LIMIT :rows)""")
                    .bind("before", PaymentRows.ts(failedBefore)).bind("rows", rows).execute();
            // The simulated operators' own books: transactions and approvals that are over.
            int transactions = h.createUpdate("""
                            DELETE FROM sim_transaction WHERE reference IN (
                                SELECT reference FROM sim_transaction
                                WHERE status IN ('COMPLETED', 'FAILED') AND finished_at < :before
                                ORDER BY finished_at LIMIT :rows)""")
                    .bind("before", PaymentRows.ts(before)).bind("rows", rows).execute();
            int approvals = h.createUpdate("""
                            DELETE FROM sim_approval WHERE reference IN (
                                SELECT reference FROM sim_approval
                                WHERE status <> 'AWAITING_APPROVAL' AND finished_at < :before
                                ORDER BY finished_at LIMIT :rows)""")
                    .bind("before", PaymentRows.ts(before)).bind("rows", rows).execute();
            return new Deleted(attempts, outbox, sms, failed, transactions, approvals);
        });
    }
}
