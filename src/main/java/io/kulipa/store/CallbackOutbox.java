package io.kulipa.store;

import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.WorkHandOff;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Adds callback jobs to the outbox inside the caller's transaction, so that a callback is
 * committed with the state change that causes it or not at all. The job is leased to this node
 * and handed to its local worker once that transaction commits (never before: the worker would
 * read the subject before its change is visible); if this node dies first, any node claims the
 * job once this node's heartbeat is old (ADR 11), or at the latest when the lease runs out. A dialect's stores call {@link #add} in their own transactions.
 */
public final class CallbackOutbox {

    private final String nodeId;
    private final Duration handOffLease;
    private final WorkHandOff handOff;

    /**
     * @param nodeId       this process's name in job leases
     * @param handOffLease how long a job committed here stays reserved for this node
     */
    public CallbackOutbox(String nodeId, Duration handOffLease, WorkHandOff handOff) {
        this.nodeId = nodeId;
        this.handOffLease = handOffLease;
        this.handOff = handOff;
    }

    /** Adds the callback of a subject (a WEBHOOK job) to the transaction of {@code h}. */
    public void add(Handle h, String subjectKind, String subjectId) {
        add(h, JobKind.WEBHOOK, subjectKind, subjectId, null, null);
    }

    /**
     * Adds a job about a subject to the transaction of {@code h}, leased here and handed off
     * after the commit.
     *
     * @param paymentId the payment when the subject is one, else null
     */
    public void add(Handle h, JobKind kind, String subjectKind, String subjectId, UUID paymentId, String payload) {
        if (!h.isInTransaction()) {
            throw new IllegalStateException("a callback job is added in the transaction of its state change");
        }
        Job job = h.createQuery("""
                        INSERT INTO outbox (kind, subject_kind, subject_id, payment_id, due_at, payload, lease_owner,
                                            lease_until, attempts)
                        VALUES (:kind, :subjectKind, :subjectId, CAST(:payment AS uuid), now(), :payload, :owner,
                                now() + make_interval(secs => :lease), 1)
                        RETURNING\s""" + PaymentRows.JOB_COLUMNS)
                .bind("kind", kind.name()).bind("subjectKind", subjectKind).bind("subjectId", subjectId)
                .bind("payment", paymentId).bind("payload", payload).bind("owner", nodeId)
                .bind("lease", (double) handOffLease.toMillis() / 1000.0)
                .map(PaymentRows.JOB).one();
        h.afterCommit(() -> handOff.handOff(List.of(job)));
    }
}
