package io.kulipa.outbox;

import io.kulipa.logging.Failures;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop on a virtual thread: runs a pass, and when the pass found nothing to do
 * waits up to {@code idlePoll}, until {@link #wake} is called, or until a time given to
 * {@link #wakeAt} comes (so a loop whose work falls due at known times can poll rarely and
 * still act on time; {@code idlePoll} is then only how late it sees work another node made).
 * A pass that throws is logged
 * and tried again after a pause, so one bad row never stops the loop. Stopping waits at most
 * {@link #SHUTDOWN_WAIT} for the pass under way.
 */
public final class PollingLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollingLoop.class);
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    /** Wake times closer than this are one wake: a burst of work due together costs one pass. */
    static final long WAKE_BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Past the time given: the clock the work's due time was read against may run a little behind. */
    static final long WAKE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Wake times kept at most; past that, work is found by the idle poll. */
    static final int WAKE_TIMES_MAX = 10_000;

    /** One pass of the loop; answers how much work it did (0 lets the loop wait). */
    @FunctionalInterface
    public interface Pass {
        int run() throws InterruptedException;
    }

    private final String name;
    private final Duration idlePoll;
    private final Pass pass;
    private final Object monitor = new Object();
    private boolean woken;
    /** {@link System#nanoTime()} values, rounded up to {@link #WAKE_BUCKET_NANOS}; guarded by {@code monitor}. */
    private final TreeSet<Long> wakeTimes = new TreeSet<>();
    private volatile boolean running;
    private Thread thread;

    public PollingLoop(String name, Duration idlePoll, Pass pass) {
        this.name = name;
        this.idlePoll = idlePoll;
        this.pass = pass;
    }

    public void start() {
        running = true;
        thread = Thread.ofVirtual().name(name).start(this::run);
    }

    /** Ends the current wait at once; a wake during a pass makes the next wait return at once too. */
    public void wake() {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    /** Makes the loop run a pass once {@code delay} has passed (at once when it is not positive). */
    public void wakeAt(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            wake();
            return;
        }
        long at = System.nanoTime() + delay.toNanos() + WAKE_MARGIN_NANOS;
        long bucket = Math.floorDiv(at + WAKE_BUCKET_NANOS - 1, WAKE_BUCKET_NANOS) * WAKE_BUCKET_NANOS;
        synchronized (monitor) {
            if (wakeTimes.size() >= WAKE_TIMES_MAX) {
                return;
            }
            boolean earliest = wakeTimes.isEmpty() || bucket < wakeTimes.first();
            if (wakeTimes.add(bucket) && earliest) {
                // A loop waiting for a later time (or for idlePoll) waits for this one instead.
                monitor.notifyAll();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                if (pass.run() == 0) {
                    idle(idlePoll);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.error("{} loop failed; retrying after a pause: {}", name, Failures.describe(e));
                try {
                    idle(idlePoll);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void idle(Duration wait) throws InterruptedException {
        synchronized (monitor) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!woken && running) {
                long now = System.nanoTime();
                if (!wakeTimes.isEmpty() && wakeTimes.first() - now <= 0) {
                    // Every time that has come is served by the pass about to run.
                    wakeTimes.headSet(now, true).clear();
                    break;
                }
                long until = wakeTimes.isEmpty() || deadline - wakeTimes.first() < 0 ? deadline : wakeTimes.first();
                long left = until - now;
                if (left <= 0) {
                    break;
                }
                monitor.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
            }
            woken = false;
        }
    }

    @Override
    public void close() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(SHUTDOWN_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
