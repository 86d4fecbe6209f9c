package io.kulipa.payments;

import io.kulipa.outbox.PollingLoop;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes done outbox rows, callback attempts and sandbox SMS older than the retention period
 * ({@code KULIPA_RETENTION_DAYS}), so that these tables do not grow without end. It works in
 * small batches with a pause between them, so that it never holds many row locks or fills the
 * write-ahead log at once, and a node that finds another node at it waits for the next round.
 * Payments, their histories and the ledger are kept: they are the record of what happened.
 */
public final class CleaningUpOldRecords implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CleaningUpOldRecords.class);
    /**
     * FAILED outbox rows (work that gave up) are kept this many times the retention, for operations
     * to look into, before they go like done work.
     */
    public static final int FAILED_WORK_KEPT_FACTOR = 4;
    /** Rows of each kind one batch (one transaction) deletes at most. */
    public static final int ROWS_PER_BATCH = 1_000;
    /** Rest between two batches, for the rest of the gateway's writes. */
    public static final Duration PAUSE_BETWEEN_BATCHES = Duration.ofMillis(250);
    /** How often a node looks for old rows once a round found none left. */
    public static final Duration ROUND_INTERVAL = Duration.ofHours(1);

    private final RetentionStore store;
    private final Duration retention;
    private final Clock clock;
    private final PollingLoop loop;

    public CleaningUpOldRecords(RetentionStore store, Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the retention period must be positive, not " + retention);
        }
        this.store = store;
        this.retention = retention;
        this.clock = clock;
        this.loop = new PollingLoop("cleaning-up-old-records", ROUND_INTERVAL, this::batch);
    }

    public void start() {
        loop.start();
    }

    /**
     * Deletes one batch; answers how many rows went, so that the loop runs the next batch at once
     * (after the pause) while there are old rows, and waits a round when there are none.
     */
    public int batch() throws InterruptedException {
        java.time.Instant now = clock.instant();
        RetentionStore.Deleted d = store.deleteOlderThan(now.minus(retention),
                now.minus(retention.multipliedBy(FAILED_WORK_KEPT_FACTOR)), ROWS_PER_BATCH);
        if (d.total() > 0) {
            LOG.info("deleted {} callback attempts, {} done outbox rows, {} SMS, {} simulated transactions and {} "
                            + "simulated approvals older than {} days, {} failed outbox rows older than {} days",
                    d.callbackAttempts(), d.outboxRows(), d.sms(), d.simTransactions(), d.simApprovals(),
                    retention.toDays(), d.failedOutboxRows(), retention.multipliedBy(FAILED_WORK_KEPT_FACTOR).toDays());
            Thread.sleep(PAUSE_BETWEEN_BATCHES);
        }
        return d.total();
    }

    @Override
    public void close() {
        loop.close();
    }
}
