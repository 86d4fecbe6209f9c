package io.kulipa.callbacks;

import io.kulipa.outbox.GroupCommit;
import io.kulipa.outbox.Job;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Callback attempts recorded together: the attempts that finish at the same moment, with their
 * jobs' settlements, are written in one transaction (one commit for a burst of webhooks instead
 * of one each, ADR 20). Each delivery still waits for its commit before its job counts as settled.
 */
public final class GroupCommittingAttempts implements CallbackAttempts, AutoCloseable {

    private final CallbackAttempts attempts;
    private final GroupCommit<Recorded, Boolean> together;

    /** @param unreachable tells a failure to reach the database, which fails every queued write at once */
    public GroupCommittingAttempts(CallbackAttempts attempts, int writerThreads,
                                   Predicate<RuntimeException> unreachable) {
        this.attempts = attempts;
        this.together = new GroupCommit<>("callback-attempt", batch -> {
            attempts.recordAll(batch);
            return batch.stream().map(r -> Boolean.TRUE).toList();
        }, writerThreads, unreachable);
    }

    @Override
    public void record(Job job, Attempt attempt, Settlement settlement) {
        together.write(new Recorded(job, attempt, settlement));
    }

    @Override
    public void recordAll(List<Recorded> batch) {
        attempts.recordAll(batch);
    }

    @Override
    public List<Map<String, Object>> forPayment(UUID paymentId) {
        return attempts.forPayment(paymentId);
    }

    @Override
    public void close() {
        together.close();
    }
}
