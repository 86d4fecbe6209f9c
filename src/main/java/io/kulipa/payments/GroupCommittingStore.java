package io.kulipa.payments;

import io.kulipa.outbox.GroupCommit;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;


import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A payment store whose single inserts and single state changes are group-committed with
 * whatever else arrives at the same moment (see {@link GroupCommit}), and whose reads by id are
 * read together the same way (issue 14: a submit and a webhook each read their payment, two
 * statements per deposit); everything else goes straight to the store underneath.
 */
public final class GroupCommittingStore implements PaymentStore, AutoCloseable {

    private final PaymentStore store;
    private final GroupCommit<NewPayment, Inserted> inserts;
    private final GroupCommit<StateChange, Optional<Transitioned>> changes;
    /** Finished jobs, completed together: one commit for a burst instead of one each (ADR 14). */
    private final GroupCommit<Long, Boolean> completions;
    /** Reads by id: one statement for the reads that arrive together; each caller waits for its own. */
    private final GroupCommit<UUID, Optional<Payment>> reads;

    /** How many payments made final here {@link #get} answers from memory. */
    static final int RECENT_FINALS_MAX = 4096;
    /**
     * Payments that reached their final state through this store, most recent last: a final
     * payment's row never changes again (no transition leaves COMPLETED or FAILED), so the read of
     * its webhook, which follows at once, needs no round trip (issue 14).
     */
    private final Map<UUID, Payment> recentFinals = newest(RECENT_FINALS_MAX);

    /** How many payments accepted here wait in memory for their SUBMIT job's first read. */
    static final int ACCEPTED_HERE_MAX = 4096;
    /**
     * Payments this store inserted in ACCEPTED with a job leased here (their SUBMIT, handed to this
     * node's worker at commit), as committed, until that job takes them ({@link #takeAcceptedHere})
     * or a change through this store moves them: the submit's read of a payment accepted a few
     * milliseconds before needs no round trip (issue 14). Only another node could move such a
     * payment meanwhile, by running the same SUBMIT after this node's lease ran out; the operator
     * dedupes submits by Kulipa's reference and the transition to SUBMITTED is conditional, as
     * when a read comes just before that other node's commit.
     */
    private final Map<UUID, Payment> acceptedHere = newest(ACCEPTED_HERE_MAX);

    /** A map of at most {@code max} payments by id that drops the oldest put first, safe across threads. */
    private static Map<UUID, Payment> newest(int max) {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(max * 2) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Payment> eldest) {
                return size() > max;
            }
        });
    }

    public GroupCommittingStore(PaymentStore store, int writerThreads) {
        this(store, writerThreads, e -> false);
    }

    /** @param unreachable tells a failure to reach the database, which fails every queued write at once */
    public GroupCommittingStore(PaymentStore store, int writerThreads,
                                java.util.function.Predicate<RuntimeException> unreachable) {
        this.store = store;
        this.inserts = new GroupCommit<>("payment-insert", store::insertAll, writerThreads, unreachable);
        this.changes = new GroupCommit<>("payment-change", store::transitionAll, writerThreads, unreachable);
        this.completions = new GroupCommit<>("job-complete", ids -> {
            store.completeAll(ids);
            return ids.stream().map(id -> Boolean.TRUE).toList();
        }, writerThreads, unreachable);
        this.reads = new GroupCommit<>("payment-read", ids -> {
            java.util.Map<UUID, Payment> found = store.getAll(ids);
            return ids.stream().map(id -> Optional.ofNullable(found.get(id))).toList();
        }, writerThreads, unreachable);
    }

    @Override
    public List<Inserted> insertAll(List<NewPayment> payments) {
        List<Inserted> results = payments.size() == 1 ? List.of(inserts.write(payments.getFirst()))
                : store.insertAll(payments);
        for (Inserted r : results) {
            if (r instanceof Inserted.Created c && c.payment().state() == PaymentState.ACCEPTED
                    && c.leasedJobs().stream().anyMatch(j -> j.kind() == JobKind.SUBMIT)) {
                acceptedHere.put(c.payment().id(), c.payment());
            }
        }
        return results;
    }

    @Override
    public Optional<Payment> takeAcceptedHere(UUID id) {
        return Optional.ofNullable(acceptedHere.remove(id));
    }

    @Override
    public List<Optional<Transitioned>> transitionAll(List<StateChange> batch) {
        List<Optional<Transitioned>> results = batch.size() == 1 ? List.of(changes.write(batch.getFirst()))
                : store.transitionAll(batch);
        for (StateChange change : batch) {
            acceptedHere.remove(change.id());
        }
        for (Optional<Transitioned> r : results) {
            r.map(Transitioned::payment).filter(p -> p.state().isFinal()).ifPresent(p -> recentFinals.put(p.id(), p));
        }
        return results;
    }

    @Override
    public Optional<Payment> find(UUID merchantId, String dialect, PaymentKind kind, String clientRef) {
        return store.find(merchantId, dialect, kind, clientRef);
    }

    @Override
    public List<Payment> findInEveryDialect(UUID merchantId, PaymentKind kind, String clientRef) {
        return store.findInEveryDialect(merchantId, kind, clientRef);
    }

    @Override
    public Optional<Payment> get(UUID id) {
        Payment recentFinal = recentFinals.get(id);
        if (recentFinal != null) {
            return Optional.of(recentFinal);
        }
        try {
            return reads.write(id);
        } catch (GroupCommit.Overloaded e) {
            // More reads waiting than the queue holds: this one goes alone.
            return store.get(id);
        }
    }

    @Override
    public java.util.Map<UUID, Payment> getAll(List<UUID> ids) {
        return store.getAll(ids);
    }

    @Override
    public void recordRepeat(UUID paymentId, String fingerprint, boolean sameBody) {
        store.recordRepeat(paymentId, fingerprint, sameBody);
    }

    @Override
    public void note(UUID paymentId, String event, String detail) {
        store.note(paymentId, event, detail);
    }

    @Override
    public BigDecimal refundedSoFar(UUID depositId) {
        return store.refundedSoFar(depositId);
    }

    @Override
    public java.util.Set<String> enqueuedCorrespondents() {
        return store.enqueuedCorrespondents();
    }

    @Override
    public List<Payment> enqueued(java.util.Collection<String> correspondents, int limit) {
        return store.enqueued(correspondents, limit);
    }

    @Override
    public List<String> history(UUID paymentId) {
        return store.history(paymentId);
    }

    @Override
    public List<Job> claim(JobKind kind, int limit, Duration lease) {
        return store.claim(kind, limit, lease);
    }

    @Override
    public void complete(long jobId) {
        completions.write(jobId);
    }

    @Override
    public void completeAll(List<Long> jobIds) {
        store.completeAll(jobIds);
    }

    @Override
    public void extendLeases(List<Long> jobIds, Duration lease) {
        store.extendLeases(jobIds, lease);
    }

    @Override
    public void retry(long jobId, Instant dueAt, String error) {
        store.retry(jobId, dueAt, error);
    }

    @Override
    public void giveUp(long jobId, String error) {
        store.giveUp(jobId, error);
    }

    @Override
    public List<Job> enqueue(UUID paymentId, NewJob job) {
        return store.enqueue(paymentId, job);
    }

    @Override
    public Optional<JobSummary> latestJob(UUID paymentId, JobKind kind) {
        return store.latestJob(paymentId, kind);
    }

    @Override
    public void close() {
        inserts.close();
        changes.close();
        completions.close();
        reads.close();
    }

}
