package io.kulipa.payments;

import io.kulipa.logging.Failures;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.WorkHandOff;

import io.kulipa.providers.Availability;
import io.kulipa.providers.Operation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends enqueued payouts on their way once their correspondent takes payouts again. Runs
 * every {@link #INTERVAL}; any node may release a payout, and the conditional state change
 * makes sure only one does.
 */
public final class ReleasingEnqueuedPayouts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleasingEnqueuedPayouts.class);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int BATCH_MAX_PAYOUTS = 500;

    private final PaymentStore store;
    private final Availability availability;
    private final WorkHandOff handOff;
    private final Clock clock;
    private volatile boolean running;
    private Thread loop;

    public ReleasingEnqueuedPayouts(PaymentStore store, Availability availability, WorkHandOff handOff, Clock clock) {
        this.store = store;
        this.availability = availability;
        this.handOff = handOff;
        this.clock = clock;
    }

    public void start() {
        running = true;
        loop = Thread.ofVirtual().name("release-enqueued").start(() -> {
            while (running) {
                try {
                    releaseNow();
                    Thread.sleep(INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.error("releasing enqueued payouts failed; retrying: {}", Failures.describe(e));
                    }
                }
            }
        });
    }

    /** Releases every enqueued payout whose correspondent is OPERATIONAL again; returns how many. */
    public int releaseNow() {
        int released = 0;
        // Only the queues of correspondents that take payouts again: a long queue of one still down
        // must not hide the payouts of one that came back (V44).
        List<String> open = store.enqueuedCorrespondents().stream()
                .filter(c -> availability.status(c, Operation.PAYOUT) == Availability.Status.OPERATIONAL).toList();
        for (Payment p : store.enqueued(open, BATCH_MAX_PAYOUTS)) {
            List<Job> jobs = store.transition(p.id(), PaymentState.ACCEPTED, PaymentChange.event("RELEASED_FROM_QUEUE"),
                            List.of(new NewJob(JobKind.SUBMIT, clock.instant(), null, true)))
                    .map(PaymentStore.Transitioned::leasedJobs).orElse(List.of());
            handOff.handOff(jobs);
            released += jobs.isEmpty() ? 0 : 1;
        }
        return released;
    }

    @Override
    public void close() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
    }
}
