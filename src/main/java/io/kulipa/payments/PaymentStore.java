package io.kulipa.payments;

import io.kulipa.outbox.Job;
import io.kulipa.outbox.OutboxStore;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;

import io.kulipa.ledger.LedgerOp;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Persistence of payments, their history and their outbox work; implemented in {@code store}. */
public interface PaymentStore extends OutboxStore {

    /**
     * A payment to create, with its first jobs. A payout or refund carries the reservation of
     * its funds: when the merchant's wallet cannot cover it, the payment is stored FAILED with
     * {@code insufficientFunds} and a WEBHOOK job instead of its jobs, and nothing is reserved.
     * A refund carries the amount of its deposit that may be refunded in all.
     */
    record NewPayment(Payment payment, List<NewJob> jobs, LedgerOp.Reserve reservation,
                      FailureCode insufficientFunds, BigDecimal refundableTotal) {
        public static NewPayment of(Payment payment, List<NewJob> jobs) {
            return new NewPayment(payment, jobs, null, null, null);
        }
    }

    /** What became of one payment of an insert. */
    sealed interface Inserted {
        record Created(Payment payment, List<Job> leasedJobs) implements Inserted {
        }

        /** The merchant already has a payment of that dialect and kind with that client id; nothing was written. */
        record Duplicate(Payment original) implements Inserted {
        }

        /** A rule that needs the database refused it (a refund over what remains); nothing was written. */
        record Refused(Rejection rejection) implements Inserted {
        }
    }

    /**
     * Inserts payments, their first history entries, reservations and jobs, all in one
     * transaction (one commit for many requests), answering for each in order.
     */
    List<Inserted> insertAll(List<NewPayment> payments);

    /**
     * The merchant's payment of that kind with that client id, made through that dialect: client
     * ids are each dialect's own, so one dialect never finds (nor collides with) another's.
     */
    Optional<Payment> find(UUID merchantId, String dialect, PaymentKind kind, String clientRef);

    /** The merchant's payments of that kind with that client id in every dialect (ops look-ups). */
    List<Payment> findInEveryDialect(UUID merchantId, PaymentKind kind, String clientRef);

    Optional<Payment> get(UUID id);

    /**
     * The payment as this node's insert committed it, for the first run of its SUBMIT job here,
     * once; empty where it was not accepted here, was taken already or has changed through this
     * store since, and in stores that keep nothing in memory (then the job reads it).
     */
    default Optional<Payment> takeAcceptedHere(UUID id) {
        return Optional.empty();
    }

    /** The payments of {@code ids} that exist, by id, read together. */
    Map<UUID, Payment> getAll(List<UUID> ids);

    /** Appends a history entry for a repeated request with the same client id. */
    void recordRepeat(UUID paymentId, String fingerprint, boolean sameBody);

    /**
     * Moves a payment to {@code to} if its current state allows it (see {@link Transitions}),
     * applies the change, appends history, applies the ledger postings the moved payment needs,
     * adds the jobs and marks {@code settlesJob} (the job doing this work, or null) done, all in
     * one transaction. Empty when the payment is not in a state that may move there; nothing is
     * written then.
     */
    default Optional<Transitioned> transition(UUID id, PaymentState to, PaymentChange change, List<NewJob> jobs,
                                              java.util.function.Function<Payment, List<LedgerOp>> ledger,
                                              Long settlesJob) {
        return transitionAll(List.of(new StateChange(id, to, change, jobs, ledger, settlesJob))).getFirst();
    }

    /** One state change to make; see {@link #transition}. */
    record StateChange(UUID id, PaymentState to, PaymentChange change, List<NewJob> jobs,
                       java.util.function.Function<Payment, List<LedgerOp>> ledger, Long settlesJob) {
    }

    /**
     * Makes many state changes in one transaction, each as {@link #transition} would, answering
     * for each in order. Their ledger postings are written together, so a hot account is
     * locked and updated once for the whole batch.
     */
    List<Optional<Transitioned>> transitionAll(List<StateChange> changes);

    default Optional<Transitioned> transition(UUID id, PaymentState to, PaymentChange change, List<NewJob> jobs,
                                              List<LedgerOp> ledger) {
        return transition(id, to, change, jobs, p -> ledger, null);
    }

    default Optional<Transitioned> transition(UUID id, PaymentState to, PaymentChange change, List<NewJob> jobs) {
        return transition(id, to, change, jobs, p -> List.of(), null);
    }

    /** A payment after a state change, and the jobs that change leased to this node. */
    record Transitioned(Payment payment, List<Job> leasedJobs) {
    }

    /** Appends a history entry that changes no state (an escalation, a note). */
    void note(UUID paymentId, String event, String detail);

    /** The amount of a deposit already refunded or being refunded (refunds that have not failed). */
    BigDecimal refundedSoFar(UUID depositId);

    /** The correspondents that have enqueued payouts. */
    java.util.Set<String> enqueuedCorrespondents();

    /** Enqueued payouts of these correspondents, oldest first. */
    List<Payment> enqueued(java.util.Collection<String> correspondents, int limit);

    /** The history of a payment, oldest first, one line per entry. */
    List<String> history(UUID paymentId);

    // Outbox

    /** Adds a job outside a state change; returns it when it was leased to this node. */
    List<Job> enqueue(UUID paymentId, NewJob job);

    /** The newest job of a kind for a payment, as (state, id), if any. */
    Optional<JobSummary> latestJob(UUID paymentId, JobKind kind);

    record JobSummary(long id, String state) {
    }
}
