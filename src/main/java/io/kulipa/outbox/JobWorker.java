package io.kulipa.outbox;


import io.kulipa.logging.Failures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A job runs at most once at a time on this node: a job already queued or running here is
 * skipped when a claim returns it again (its lease ran out while it was still under way, which a
 * slow receiver or a loaded machine makes happen), and the leases of jobs under way for longer
 * than a third of the lease are extended every such third, so that no other node takes over a
 * job that is still running either. A job whose node dies is still taken over (ADR 11).
 */
public final class JobWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);
    private static final int HAND_OFF_QUEUE_CAPACITY_JOBS = 10_000;
    private static final int CLAIM_BATCH_MAX_JOBS = 64;
    /** A job under way has its lease extended this many times per lease, so it never runs out while it runs. */
    private static final int LEASE_RENEWALS_PER_LEASE = 3;

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
    /** Jobs queued or running on this node, with when they were taken (System.nanoTime). */
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
    private final Duration renewEvery;
    /**
     * How often the claiming loop asks the database for due jobs while hand-offs keep waking it:
     * the idle poll. A job committed here is handed off and needs no claim; the claim is for jobs
     * that come due later, are retried, or were another node's.
     */
    private final long claimEveryNanos;
    /** When the last claim ran (System.nanoTime), and whether it took all it asked for (more may be due). Loop thread only. */
    private long lastClaim;
    private boolean lastClaimFull = true;
    private final PollingLoop loop;
    private final PollingLoop renewal;

    public JobWorker(JobKind kind, OutboxStore store, Handler handler, int maxInFlight, Duration lease,
                     Duration idlePoll) {
        this.kind = kind;
        this.store = store;
        this.handler = handler;
        this.lease = lease;
        this.permits = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.renewEvery = lease.dividedBy(LEASE_RENEWALS_PER_LEASE);
        this.claimEveryNanos = idlePoll.toNanos();
        this.loop = new PollingLoop("worker-" + kind.name().toLowerCase(), idlePoll,
                () -> drainHandedOff() + (claimDueNow() ? claimDue() : 0));
        // Its own loop: the claiming loop may wait for a free slot as long as the jobs under way take.
        this.renewal = new PollingLoop("lease-renewal-" + kind.name().toLowerCase(), renewEvery, this::renewLeases);
    }

    public JobKind kind() {
        return kind;
    }

    public void start() {
        loop.start();
        renewal.start();
    }

    /** Takes jobs this node has just committed and leased; a full queue leaves them to the lease. */
    public void handOff(List<Job> jobs) {
        for (Job job : jobs) {
            if (inFlight.putIfAbsent(job.id(), System.nanoTime()) != null) {
                continue;
            }
            if (!handedOff.offer(job)) {
                inFlight.remove(job.id());
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

    /**
     * Whether this pass claims: once per idle poll, or at once after a claim that took all it asked
     * for. A pass woken by a hand-off claimed every time before, nearly always nothing under load
     * (issue 14: 0.18 empty claims per deposit, each a statement and a transaction); a job due in
     * the database is now claimed within two idle polls however busy the hand-offs keep the loop.
     */
    private boolean claimDueNow() {
        return lastClaimFull || System.nanoTime() - lastClaim >= claimEveryNanos;
    }

    private int claimDue() throws InterruptedException {
        int free = Math.min(permits.availablePermits(), CLAIM_BATCH_MAX_JOBS);
        if (free == 0) {
            permits.acquire();
            permits.release();
            return 1;
        }
        List<Job> jobs = store.claim(kind, free, lease);
        lastClaim = System.nanoTime();
        lastClaimFull = jobs.size() == free;
        int started = 0;
        for (Job job : jobs) {
            if (inFlight.putIfAbsent(job.id(), System.nanoTime()) != null) {
                // Still queued or running here: its lease ran out under way. The claim renewed it.
                LOG.debug("{} job {} is already under way on this node; not run twice", kind, job.id());
                continue;
            }
            permits.acquire();
            dispatch(job);
            started++;
        }
        return started;
    }

    /**
     * Extends, in one statement, the leases of the jobs taken here longer than a third of a
     * lease ago; runs every such third. Answers 0, so that its loop waits between passes.
     */
    private int renewLeases() {
        long now = System.nanoTime();
        List<Long> old = inFlight.entrySet().stream().filter(e -> now - e.getValue() >= renewEvery.toNanos())
                .map(Map.Entry::getKey).toList();
        if (!old.isEmpty()) {
            store.extendLeases(old, lease);
        }
        return 0;
    }

    /** How many jobs are queued or running on this node (for tests and metrics). */
    public int inFlight() {
        return inFlight.size();
    }

    private void dispatch(Job job) {
        Thread.ofVirtual().name("job-" + kind.name().toLowerCase() + "-" + job.id()).start(() -> {
            try {
                settle(job, handler.handle(job));
            } catch (Exception e) {
                LOG.error("{} job {} for {} {} failed; it is retried when its lease runs out: {}",
                        kind, job.id(), job.subjectKind(), job.subjectId(), Failures.describe(e));
            } finally {
                inFlight.remove(job.id());
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
        } finally {
            renewal.close();
        }
    }
}
