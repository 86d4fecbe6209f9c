package io.kulipa.payments;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Persistence of payments, their history and their outbox work; implemented in {@code store}. */
public interface PaymentStore {

    /** The result of an insert: the payment as stored, and whether this call created it. */
    record Insertion(Payment payment, boolean created, List<Job> leasedJobs) {
    }

    /**
     * Inserts a new payment, its first history entry and its first jobs in one transaction,
     * unless the merchant already has a payment of that kind with that client id: then
     * nothing is written and the existing payment is returned.
     */
    Insertion insertIfAbsent(Payment payment, List<NewJob> jobs);

    Optional<Payment> find(UUID merchantId, PaymentKind kind, String clientRef);

    Optional<Payment> get(UUID id);

    /** Appends a history entry for a repeated request with the same client id. */
    void recordRepeat(UUID paymentId, String fingerprint, boolean sameBody);

    /**
     * Moves a payment to {@code to} if its current state allows it (see {@link Transitions}),
     * applies the change, appends history and adds the jobs, all in one transaction.
     * Empty when the payment is not in a state that may move there; nothing is written then.
     */
    Optional<Transitioned> transition(UUID id, PaymentState to, PaymentChange change, List<NewJob> jobs);

    /** A payment after a state change, and the jobs that change leased to this node. */
    record Transitioned(Payment payment, List<Job> leasedJobs) {
    }

    /** Appends a history entry that changes no state (an escalation, a note). */
    void note(UUID paymentId, String event, String detail);

    /** The history of a payment, oldest first, one line per entry. */
    List<String> history(UUID paymentId);

    // Outbox

    List<Job> claim(JobKind kind, int limit, Duration lease);

    void complete(long jobId);

    void retry(long jobId, java.time.Instant dueAt, String error);

    void giveUp(long jobId, String error);

    /** Adds a job outside a state change; returns it when it was leased to this node. */
    List<Job> enqueue(UUID paymentId, NewJob job);

    /** The newest job of a kind for a payment, as (state, id), if any. */
    Optional<JobSummary> latestJob(UUID paymentId, JobKind kind);

    record JobSummary(long id, String state) {
    }
}
