package io.kulipa.outbox;

import io.kulipa.logging.Failures;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's heartbeat in the database (ADR 11): one small write per node every
 * {@link #HEARTBEAT_INTERVAL}, whatever the number of jobs it holds. Other nodes treat a node
 * whose beat is older than {@link #DEAD_AFTER}, or that marked itself stopped, as dead, and
 * claim the jobs leased to it without waiting for the leases to run out. Start it before the
 * workers and close it after them, so that the jobs they hold stay this node's while they stop.
 */
public final class NodeHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);
    /** How often a node writes its heartbeat. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /**
     * How old a heartbeat is when its node counts as dead: several missed beats, so that a short
     * stall (a slow commit, a GC pause) does not hand a live node's work to another.
     */
    public static final Duration DEAD_AFTER = Duration.ofSeconds(5);

    private final String nodeId;
    private final NodeRegistry registry;
    private final PollingLoop loop;
    private volatile long lastBeatNanos;

    public NodeHeartbeat(String nodeId, NodeRegistry registry) {
        this.nodeId = nodeId;
        this.registry = registry;
        this.loop = new PollingLoop("node-heartbeat", HEARTBEAT_INTERVAL, this::beatOnce);
    }

    /** Writes the first beat before anything is leased to this node, then beats in the background. */
    public void start() {
        registry.joined(nodeId);
        lastBeatNanos = System.nanoTime();
        loop.start();
    }

    private int beatOnce() {
        try {
            registry.beat(nodeId);
        } catch (RuntimeException e) {
            LOG.warn("node {} could not write its heartbeat: {}", nodeId, Failures.describe(e));
            return 0;
        }
        long now = System.nanoTime();
        Duration gap = Duration.ofNanos(now - lastBeatNanos);
        lastBeatNanos = now;
        if (gap.compareTo(DEAD_AFTER) > 0) {
            // Other nodes may have taken this node for dead and claimed the jobs it is running:
            // they run twice, which the handlers allow (ADR 11), but an operator should know.
            LOG.warn("node {} missed its heartbeat for {} ms; jobs it held may have run on another node too",
                    nodeId, gap.toMillis());
        }
        // Nothing to do until the next beat: let the loop wait its interval.
        return 0;
    }

    /** Stops beating and marks this node stopped, so that its leased jobs free at once. */
    @Override
    public void close() {
        loop.close();
        try {
            registry.stopped(nodeId);
        } catch (RuntimeException e) {
            LOG.warn("node {} could not mark itself stopped; its jobs free when its heartbeat is old: {}",
                    nodeId, Failures.describe(e));
        }
    }
}
