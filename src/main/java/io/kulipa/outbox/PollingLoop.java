package io.kulipa.outbox;

import io.kulipa.logging.Failures;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop on a virtual thread: runs a pass, and when the pass found nothing to do
 * waits up to {@code idlePoll} or until {@link #wake} is called. A pass that throws is logged
 * and tried again after a pause, so one bad row never stops the loop. Stopping waits at most
 * {@link #SHUTDOWN_WAIT} for the pass under way.
 */
public final class PollingLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollingLoop.class);
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

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
            if (!woken && running) {
                monitor.wait(wait.toMillis());
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
