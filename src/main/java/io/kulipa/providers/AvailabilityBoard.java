package io.kulipa.providers;

import io.kulipa.logging.Failures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The availability of every correspondent of the catalog, per operation: what ops decided by
 * hand (an override), else what the monitor saw, never better than the deployment's baseline.
 *
 * <p>The monitor counts submit outcomes per correspondent in a sliding window of
 * {@link #MONITOR_WINDOW}. When at least {@link #MIN_ATTEMPTS} submits were seen in the window
 * and at least {@link #FAILURE_RATIO} of them ended without a usable answer, the correspondent
 * is degraded: deposits and refunds are refused ({@code CLOSED}) and payouts are enqueued
 * ({@code DELAYED}), as pawaPay does. A degraded correspondent comes back only when its
 * {@link Probe} says it is healthy again; the probe runs every {@link #PROBE_INTERVAL} on a
 * virtual thread between {@link #start()} and {@link #close()}. Customer failures (a refused
 * PIN, a poor wallet) are not technical failures and never degrade anyone.
 *
 * <p>The baseline is a floor, not a default: what the deployment cannot do (production has no
 * real operator connector yet, so its baseline is {@code CLOSED}) no override can open.
 *
 * <p>Several nodes: overrides and degradations are kept in {@link SharedAvailability} (the
 * database, for a gateway), so every node on one database honours an override set on any of
 * them, and a correspondent one node's monitor degraded, within {@link #SHARED_STATE_REFRESH}; a
 * restart forgets neither. Each node counts its own submits (the counts stay in memory: a
 * degradation is decided from what one node saw) and reads the shared state every
 * {@code SHARED_STATE_REFRESH}, so the hot path reads memory only. While the database cannot be
 * read, a node keeps what it read last. Every collection is bounded by the catalog: state is kept
 * only for correspondents the catalog lists, and each monitor is a fixed ring of counters.
 *
 * <p>Thread-safe: {@link #status} is a lock-free read on the hot path of every payment;
 * observations lock one correspondent's monitor only.
 */
public final class AvailabilityBoard implements Availability, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AvailabilityBoard.class);

    /** How far back the monitor looks. */
    public static final Duration MONITOR_WINDOW = Duration.ofSeconds(60);
    /** The window is kept as this many counters, each covering MONITOR_WINDOW / MONITOR_BUCKETS. */
    public static final int MONITOR_BUCKETS = 60;
    /** Fewer submits than this in the window never degrade a correspondent, whatever they gave. */
    public static final int MIN_ATTEMPTS = 5;
    /** The share of technical failures among the window's submits that degrades a correspondent. */
    public static final double FAILURE_RATIO = 0.5;
    /** How often degraded correspondents are probed for recovery. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    /** How often a node reads the shared overrides and degradations: the bound on what another node set. */
    public static final Duration SHARED_STATE_REFRESH = Duration.ofSeconds(1);
    /** How long {@link #close()} waits for the probe thread to finish a probe in progress. */
    public static final Duration PROBE_STOP_WAIT = Duration.ofSeconds(5);
    /** The operations {@link #snapshot()} reports, as pawaPay's availability endpoint does. */
    public static final List<Operation> SNAPSHOT_OPERATIONS = List.of(Operation.DEPOSIT, Operation.PAYOUT);

    /** Tells whether an operator answers again; called for degraded correspondents only. */
    @FunctionalInterface
    public interface Probe {
        boolean healthy(String correspondent);
    }

    /** One correspondent's statuses for the operations of {@link #SNAPSHOT_OPERATIONS}, in that order. */
    public record CorrespondentStatus(String country, String correspondent, Map<Operation, Status> statuses) {
        public CorrespondentStatus {
            statuses = Collections.unmodifiableMap(new EnumMap<>(statuses));
        }
    }

    /** The correspondents {@link #snapshot()} lists. */
    private final Catalog listed;
    private final Availability baseline;
    private final Probe probe;
    private final Clock clock;
    private final Duration probeInterval;
    private final Map<String, Monitor> monitors;
    private final SharedAvailability shared;
    private volatile SharedAvailability.State state = SharedAvailability.State.EMPTY;
    private final Object lifecycle = new Object();
    private Thread prober;
    private volatile boolean running;

    /** A board whose baseline lets everything through (the sandbox). */
    public AvailabilityBoard(Catalog catalog, Probe probe, Clock clock) {
        this(catalog, Availability.ALWAYS_OPERATIONAL, probe, clock);
    }

    /** @param baseline the best each correspondent can be in this deployment, whatever ops or the monitor say */
    public AvailabilityBoard(Catalog catalog, Availability baseline, Probe probe, Clock clock) {
        this(catalog, baseline, probe, clock, PROBE_INTERVAL);
    }

    AvailabilityBoard(Catalog catalog, Availability baseline, Probe probe, Clock clock, Duration probeInterval) {
        this(catalog, baseline, probe, clock, probeInterval, SharedAvailability.inMemory());
    }

    /** A board whose overrides and degradations are shared with the other nodes of {@code shared}. */
    public AvailabilityBoard(Catalog catalog, Availability baseline, Probe probe, Clock clock,
                             SharedAvailability shared) {
        this(catalog, baseline, probe, clock, PROBE_INTERVAL, shared);
    }

    AvailabilityBoard(Catalog catalog, Availability baseline, Probe probe, Clock clock, Duration probeInterval,
                      SharedAvailability shared) {
        this(catalog, catalog, baseline, probe, clock, probeInterval, shared);
    }

    /**
     * A board that keeps state (overrides, the monitor) for every correspondent of {@code known}
     * and lists those of {@code listed} in {@link #snapshot()}: a dialect's public list may show
     * only the mobile-money correspondents, while ops may also switch the ones the dialects add
     * (card issuers, sandbox correspondents).
     */
    public AvailabilityBoard(Catalog listed, Catalog known, Availability baseline, Probe probe, Clock clock,
                             SharedAvailability shared) {
        this(listed, known, baseline, probe, clock, PROBE_INTERVAL, shared);
    }

    private AvailabilityBoard(Catalog listed, Catalog known, Availability baseline, Probe probe, Clock clock,
                              Duration probeInterval, SharedAvailability shared) {
        this.shared = shared;
        this.listed = listed;
        this.baseline = baseline;
        this.probe = probe;
        this.clock = clock;
        this.probeInterval = probeInterval;
        Map<String, Monitor> byId = new LinkedHashMap<>();
        known.correspondents().forEach(c -> byId.put(c.id(), new Monitor()));
        this.monitors = Collections.unmodifiableMap(byId);
    }

    @Override
    public Status status(String correspondent, Operation operation) {
        Status floor = baseline.status(correspondent, operation);
        if (correspondent == null) {
            return floor;
        }
        SharedAvailability.State now = state;
        Status override = now.overrides().get(new SharedAvailability.Key(correspondent, operation));
        if (override != null) {
            return worse(floor, override);
        }
        if (degraded(correspondent)) {
            return worse(floor, degradedStatus(operation));
        }
        return floor;
    }

    /** What a degraded correspondent does: payouts wait in a queue, everything else is refused. */
    static Status degradedStatus(Operation operation) {
        return operation == Operation.PAYOUT ? Status.DELAYED : Status.CLOSED;
    }

    @Override
    public void observe(String correspondent, Operation operation, boolean technicalFailure) {
        Monitor monitor = correspondent == null ? null : monitors.get(correspondent);
        if (monitor == null) {
            return;
        }
        if (monitor.record(clock.millis(), technicalFailure)) {
            LOG.warn("correspondent {} is degraded: at least {} of its submits in the last {} s had no usable "
                            + "answer; deposits and refunds are closed, payouts are delayed until it recovers",
                    correspondent, FAILURE_RATIO, MONITOR_WINDOW.toSeconds());
            try {
                shared.degrade(correspondent);
                refresh();
            } catch (RuntimeException e) {
                LOG.warn("cannot tell the other nodes that {} is degraded: {}", correspondent, Failures.describe(e));
            }
        }
    }

    /** True when the catalog lists this correspondent, the only ones the board keeps state for. */
    public boolean knows(String correspondent) {
        return correspondent != null && monitors.containsKey(correspondent);
    }

    /** Sets an override that wins over the monitor until {@link #clear} (but not over the baseline). */
    public void set(String correspondent, Operation operation, Status status) {
        requireKnown(correspondent);
        if (operation == null || status == null) {
            throw new IllegalArgumentException("operation and status are required");
        }
        shared.set(correspondent, operation, status);
        refresh();
        LOG.info("availability of {} {} set by hand to {}", correspondent, operation, status);
    }

    /** Removes an override; the monitor decides again. */
    public void clear(String correspondent, Operation operation) {
        requireKnown(correspondent);
        if (shared.clear(correspondent, operation)) {
            LOG.info("availability override of {} {} cleared", correspondent, operation);
        }
        refresh();
    }

    /** True when this node's monitor or another node's holds this correspondent degraded (whatever an override says). */
    public boolean degraded(String correspondent) {
        Monitor monitor = correspondent == null ? null : monitors.get(correspondent);
        return monitor != null && (monitor.degraded || state.degraded().contains(correspondent));
    }

    /**
     * Reads the overrides and degradations every node shares; the loop calls it every
     * {@link #SHARED_STATE_REFRESH}, tests directly. While the database cannot be read, the
     * board keeps what it read last.
     */
    public void refresh() {
        try {
            state = shared.read();
        } catch (RuntimeException e) {
            LOG.debug("cannot read the shared availability; keeping the last one read: {}", Failures.describe(e));
        }
    }

    /** The deposit and payout status of every listed correspondent, in catalog order. */
    public List<CorrespondentStatus> snapshot() {
        List<CorrespondentStatus> out = new ArrayList<>(monitors.size());
        for (Correspondent c : listed.correspondents()) {
            Map<Operation, Status> statuses = new EnumMap<>(Operation.class);
            SNAPSHOT_OPERATIONS.forEach(op -> statuses.put(op, status(c.id(), op)));
            out.add(new CorrespondentStatus(c.country(), c.id(), statuses));
        }
        return out;
    }

    /**
     * Probes every degraded correspondent once and restores those that answer healthy. The
     * probe thread calls this every {@link #PROBE_INTERVAL}; tests call it directly.
     *
     * @return the correspondents restored
     */
    public List<String> probeDegraded() {
        List<String> restored = new ArrayList<>();
        monitors.forEach((id, monitor) -> {
            if (!degraded(id)) {
                return;
            }
            boolean healthy;
            try {
                healthy = probe.healthy(id);
            } catch (RuntimeException e) {
                LOG.debug("probe of {} failed: {}", id, Failures.describe(e));
                healthy = false;
            }
            if (healthy) {
                boolean here = monitor.recover();
                boolean everywhere = shared.recover(id);
                if (here || everywhere) {
                    LOG.info("correspondent {} answers again: operational", id);
                    restored.add(id);
                }
            }
        });
        if (!restored.isEmpty()) {
            refresh();
        }
        return restored;
    }

    /** Reads the shared state, then probes degraded correspondents and re-reads on a virtual thread; a second call does nothing. */
    public AvailabilityBoard start() {
        refresh();
        synchronized (lifecycle) {
            if (prober == null) {
                running = true;
                prober = Thread.ofVirtual().name("availability-probe").start(this::probeLoop);
            }
        }
        return this;
    }

    private void probeLoop() {
        Duration tick = probeInterval.compareTo(SHARED_STATE_REFRESH) < 0 ? probeInterval : SHARED_STATE_REFRESH;
        long nextProbe = System.nanoTime() + probeInterval.toNanos();
        while (running) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            refresh();
            if (System.nanoTime() - nextProbe < 0) {
                continue;
            }
            nextProbe = System.nanoTime() + probeInterval.toNanos();
            try {
                probeDegraded();
            } catch (RuntimeException e) {
                LOG.warn("availability probe round failed: {}", Failures.describe(e));
            }
        }
    }

    /** Stops the probe thread; the statuses stay as they are. */
    @Override
    public void close() {
        Thread thread;
        synchronized (lifecycle) {
            running = false;
            thread = prober;
            prober = null;
        }
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            if (!thread.join(PROBE_STOP_WAIT)) {
                LOG.warn("the availability probe did not stop within {}", PROBE_STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireKnown(String correspondent) {
        if (!knows(correspondent)) {
            throw new IllegalArgumentException("no correspondent '" + correspondent + "' in the catalog");
        }
    }

    private static Status worse(Status a, Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /**
     * One correspondent's recent submits: a ring of {@link #MONITOR_BUCKETS} counters, each
     * for one slice of the window, so memory stays fixed however busy the operator is.
     */
    private static final class Monitor {
        private static final long BUCKET_MILLIS = Math.max(1, MONITOR_WINDOW.toMillis() / MONITOR_BUCKETS);

        private final long[] slice = new long[MONITOR_BUCKETS];
        private final int[] attempts = new int[MONITOR_BUCKETS];
        private final int[] failures = new int[MONITOR_BUCKETS];
        private long latestSlice = Long.MIN_VALUE;
        volatile boolean degraded;

        Monitor() {
            java.util.Arrays.fill(slice, Long.MIN_VALUE);
        }

        /** Counts one submit; true when this one degrades the correspondent. */
        synchronized boolean record(long nowMillis, boolean failure) {
            // A clock that steps back counts into the newest slice rather than reviving old ones.
            long current = Math.max(Math.floorDiv(nowMillis, BUCKET_MILLIS), latestSlice);
            latestSlice = current;
            int i = (int) Math.floorMod(current, (long) MONITOR_BUCKETS);
            if (slice[i] != current) {
                slice[i] = current;
                attempts[i] = 0;
                failures[i] = 0;
            }
            attempts[i]++;
            if (failure) {
                failures[i]++;
            }
            if (degraded || !failure) {
                return false;
            }
            long seen = 0;
            long failed = 0;
            for (int j = 0; j < MONITOR_BUCKETS; j++) {
                if (slice[j] > current - MONITOR_BUCKETS) {
                    seen += attempts[j];
                    failed += failures[j];
                }
            }
            if (seen >= MIN_ATTEMPTS && failed >= FAILURE_RATIO * seen) {
                degraded = true;
                return true;
            }
            return false;
        }

        /** Back to operational with a clean window, so that old failures do not trip it again at once. */
        synchronized boolean recover() {
            if (!degraded) {
                return false;
            }
            java.util.Arrays.fill(slice, Long.MIN_VALUE);
            java.util.Arrays.fill(attempts, 0);
            java.util.Arrays.fill(failures, 0);
            degraded = false;
            return true;
        }
    }
}
