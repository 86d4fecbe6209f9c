package io.kulipa.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The outbox table as a worker sees it: claim due work under a lease, then settle it. */
public interface OutboxStore {

    /** Due jobs of a kind whose lease is free, leased to this node, at most {@code limit}. */
    List<Job> claim(JobKind kind, int limit, Duration lease);

    void complete(long jobId);

    /** Completes several jobs in one transaction (one commit for a batch, ADR 14). */
    default void completeAll(List<Long> jobIds) {
        jobIds.forEach(this::complete);
    }

    /**
     * Extends the leases this node holds on jobs still under way here, so that no node claims
     * them while they run; a job no longer pending or leased elsewhere is left alone.
     */
    void extendLeases(List<Long> jobIds, Duration lease);

    void retry(long jobId, Instant dueAt, String error);

    void giveUp(long jobId, String error);
}
