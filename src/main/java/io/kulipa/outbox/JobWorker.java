package io.kulipa.outbox;


import io.kulipa.logging.Failures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the outbox jobs of one kind: jobs handed off by this node first, then any due job
 * whose lease is free, claimed with {@code FOR UPDATE SKIP LOCKED} so that several nodes
 * share the work. Each job runs on its own virtual thread, at most {@code maxInFlight} at
 * once, so one slow job never holds up the others.
 */
public final class JobWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);
    private static final int HAND_OFF_QUEUE_CAPACITY_JOBS = 10_000;
    private static final int CLAIM_BATCH_MAX_JOBS = 64;

    /** What a handler decided about its job. */
    public sealed interface Outcome {
        record Done() implements Outcome {
        }

        record RetryAt(Instant dueAt, String error) implements Outcome {
        }

        record GiveUp(String error) implements Outcome {
        }

        /** The handler already marked the job done, in the transaction that did the work. */
        record Settled() implements Outcome {
        }

        Outcome DONE = new Done();
        Outcome SETTLED = new Settled();
    }

    @FunctionalInterface
    public interface Handler {
        Outcome handle(Job job) throws Exception;
    }

    private final JobKind kind;
    private final OutboxStore store;
    private final Handler handler;
    private final Duration lease;
    private final Semaphore permits;
    private final int maxInFlight;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private final BlockingQueue<Job> handedOff = new ArrayBlockingQueue<>(HAND_OFF_QUEUE_CAPACITY_JOBS);
    private final PollingLoop loop;

    public JobWorker(JobKind kind, OutboxStore store, Handler handler, int maxInFlight, Duration lease,
                     Duration idlePoll) {
        this.kind = kind;
        this.store = store;
        this.handler = handler;
        this.lease = lease;
        this.permits = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.loop = new PollingLoop("worker-" + kind.name().toLowerCase(), idlePoll,
                () -> drainHandedOff() + claimDue());
    }

    public JobKind kind() {
        return kind;
    }

    public void start() {
        loop.start();
    }

    /** Takes jobs this node has just committed and leased; a full queue leaves them to the lease. */
    public void handOff(List<Job> jobs) {
        for (Job job : jobs) {
            if (!handedOff.offer(job)) {
                LOG.warn("hand-off queue full; {} job {} waits for its lease to run out", kind, job.id());
            }
        }
        wake();
    }

    public void wake() {
        loop.wake();
    }

    private int drainHandedOff() throws InterruptedException {
        int started = 0;
        Job job;
        while ((job = handedOff.poll()) != null) {
            permits.acquire();
            dispatch(job);
            started++;
        }
        return started;
    }

    private int claimDue() throws InterruptedException {
        int free = Math.min(permits.availablePermits(), CLAIM_BATCH_MAX_JOBS);
        if (free == 0) {
            permits.acquire();
            permits.release();
            return 1;
        }
        List<Job> jobs = store.claim(kind, free, lease);
        for (Job job : jobs) {
            permits.acquire();
            dispatch(job);
        }
        return jobs.size();
    }

    private void dispatch(Job job) {
        Thread.ofVirtual().name("job-" + kind.name().toLowerCase() + "-" + job.id()).start(() -> {
            try {
                settle(job, handler.handle(job));
            } catch (Exception e) {
                LOG.error("{} job {} for {} {} failed; it is retried when its lease runs out: {}",
                        kind, job.id(), job.subjectKind(), job.subjectId(), Failures.describe(e));
            } finally {
                permits.release();
            }
        });
    }

    private void settle(Job job, Outcome outcome) {
        switch (outcome) {
            case Outcome.Done d -> store.complete(job.id());
            case Outcome.RetryAt r -> store.retry(job.id(), r.dueAt(), r.error());
            case Outcome.GiveUp g -> store.giveUp(job.id(), g.error());
            case Outcome.Settled s -> { }
        }
    }

    /**
     * Stops claiming work and waits a bounded time for jobs under way; the rest stay leased to this
     * node until its heartbeat marks it stopped, when any other node may claim them (ADR 11).
     */
    @Override
    public void close() {
        loop.close();
        try {
            if (permits.tryAcquire(maxInFlight, SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                permits.release(maxInFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
