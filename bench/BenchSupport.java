import io.kulipa.Kulipa;
import io.kulipa.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the Kulipa benchmarks ({@code DepositsBench}, {@code PayoutsBench}) share: starting and
 * stopping Kulipa on its embedded PostgreSQL, the watchdog, measured windows, HTTP load, the
 * counters sampled around each window (database, CPU, pool, sessions), the backlog drain and the
 * report lines. {@code bench/run.sh} compiles this file together with the benchmark it runs.
 *
 * <p>Every loop is bounded in time and a watchdog stops the process if anything hangs. The
 * constants can be overridden with the {@code -Dbench.*} property named beside them.
 */
final class BenchSupport {

    private BenchSupport() {
    }

    // Load shape. Every value can be overridden with the system property named in the call.
    static final int BASELINE_CONNECTIONS = intProp("bench.baselineConnections", 32);
    static final int HTTP_CLIENTS = intProp("bench.httpClients", 64);
    static final long WARMUP_SECONDS = longProp("bench.warmupSeconds", 15);
    static final long MEASURE_SECONDS = longProp("bench.measureSeconds", 30);
    /** A short extra phase on GET /health (no database) for comparison; 0 leaves it out. */
    static final long HTTP_FLOOR_WARMUP_SECONDS = longProp("bench.httpFloorWarmupSeconds", 5);
    static final long HTTP_FLOOR_MEASURE_SECONDS = longProp("bench.httpFloorMeasureSeconds", 10);
    static final long OBSERVE_EVERY_MILLIS = 250;

    // Gateway settings for the run.
    static final long APPROVAL_DELAY_MILLIS = longProp("bench.approvalDelayMillis", 200);
    static final String SANDBOX_APPROVAL = System.getProperty("bench.sandboxApproval", "auto");
    static final String BOOTSTRAP_TOKEN = "bench-demo-token";

    // Bounds on single operations and on the whole run.
    static final long HTTP_REQUEST_TIMEOUT_SECONDS = longProp("bench.httpRequestTimeoutSeconds", 10);
    static final long HTTP_CONNECT_TIMEOUT_SECONDS = 5;
    static final int JDBC_QUERY_TIMEOUT_SECONDS = 10;
    static final int JDBC_CONNECT_TIMEOUT_SECONDS = 10;
    static final long JOIN_GRACE_SECONDS = HTTP_REQUEST_TIMEOUT_SECONDS + 5;
    static final long BACKLOG_DRAIN_MAX_SECONDS = longProp("bench.backlogDrainMaxSeconds", 60);
    static final long BACKLOG_POLL_MILLIS = 500;
    static final long STARTUP_BUDGET_SECONDS = 180;
    static final long SHUTDOWN_BUDGET_SECONDS = 60;
    static final long WATCHDOG_SECONDS = STARTUP_BUDGET_SECONDS + 2 * (WARMUP_SECONDS + MEASURE_SECONDS
            + JOIN_GRACE_SECONDS) + HTTP_FLOOR_WARMUP_SECONDS + HTTP_FLOOR_MEASURE_SECONDS + JOIN_GRACE_SECONDS
            + BACKLOG_DRAIN_MAX_SECONDS + SHUTDOWN_BUDGET_SECONDS + 60;

    // Customers: ordinary Zambian MTN numbers 2607630xxxxx, none of them a simulator test number.
    static final String CORRESPONDENT = "MTN_MOMO_ZMB";
    static final String CURRENCY = "ZMW";
    static final String MSISDN_PREFIX = "2607630";
    static final int MSISDN_SPREAD = 100_000;

    static final String TARGET_HOST = "127.0.0.1";
    /** A run whose other answers (errors, rejections, 5xx) exceed this share of all answers is invalid. */
    static final double OTHER_ANSWERS_MAX_SHARE = 0.01;
    static final String BENCH_APPLICATION_NAME = "kulipa-bench";
    static final String REPORT_FILE = System.getProperty("bench.reportFile");
    static final String SOURCES = System.getProperty("bench.sources", "(classpath as given)");

    private static final java.util.concurrent.atomic.AtomicLong MSISDN_SEQUENCE =
            new java.util.concurrent.atomic.AtomicLong();

    // ---------------------------------------------------------------- running Kulipa

    /** What a benchmark does once Kulipa is up; answers the process exit code. */
    interface Body {
        int run(Kulipa kulipa, String jdbcUrl, Connection admin, Cpu cpu) throws Exception;
    }

    /**
     * Runs {@code body} against a fresh sandbox Kulipa on its embedded PostgreSQL, under a
     * watchdog, and exits the JVM with the body's exit code (3 when the watchdog fires).
     *
     * @param extraEnv gateway settings beyond the common ones (KULIPA_* variables)
     */
    static void launch(Map<String, String> extraEnv, Body body) throws Exception {
        Thread watchdog = Thread.ofPlatform().daemon().name("bench-watchdog").start(() -> {
            try {
                Thread.sleep(Duration.ofSeconds(WATCHDOG_SECONDS));
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("bench: watchdog fired after " + WATCHDOG_SECONDS + " s; stopping");
            // System.exit runs the shutdown hook that stops Kulipa and its PostgreSQL; halt if that hangs.
            Thread.ofPlatform().daemon().start(() -> System.exit(3));
            try {
                Thread.sleep(Duration.ofSeconds(SHUTDOWN_BUDGET_SECONDS));
            } catch (InterruptedException e) {
                // halt now
            }
            Runtime.getRuntime().halt(3);
        });
        int exit;
        try {
            exit = withKulipa(extraEnv, body);
        } finally {
            watchdog.interrupt();
        }
        System.exit(exit);
    }

    private static int withKulipa(Map<String, String> extraEnv, Body body) throws Exception {
        Path dataDir = Files.createTempDirectory("kulipa-bench-");
        Map<String, String> env = new HashMap<>();
        env.put("KULIPA_MODE", "sandbox");
        env.put("KULIPA_DATA_DIR", dataDir.toString());
        env.put("KULIPA_HOST", TARGET_HOST);
        env.put("KULIPA_PORT", "0");
        env.put("KULIPA_BOOTSTRAP_TOKEN", BOOTSTRAP_TOKEN);
        env.put("KULIPA_SANDBOX_APPROVAL", SANDBOX_APPROVAL);
        env.put("KULIPA_SANDBOX_APPROVAL_DELAY", APPROVAL_DELAY_MILLIS + "ms");
        env.putAll(extraEnv);
        // No KULIPA_DB_URL: the embedded PostgreSQL. Everything else keeps its default.

        log("data directory " + dataDir);
        long startedAt = System.nanoTime();
        Kulipa kulipa = Kulipa.start(Settings.from(env, new String[0]));
        log(String.format(Locale.ROOT, "Kulipa started in %.1f s on port %d", seconds(System.nanoTime() - startedAt),
                kulipa.port()));
        // On Ctrl-C, or the watchdog's exit, Kulipa and its embedded PostgreSQL are still stopped.
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                kulipa.close();
                if (!Boolean.getBoolean("bench.keepData")) {
                    deleteTree(dataDir);
                }
            }
        };
        Thread hook = new Thread(close, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String jdbcUrl = loopback(kulipa.database().jdbcUrl());
            try (Connection admin = connect(jdbcUrl)) {
                return body.run(kulipa, jdbcUrl, admin, Cpu.of(admin));
            }
        } finally {
            long stopping = System.nanoTime();
            Thread closer = Thread.ofPlatform().name("bench-close").start(close);
            closer.join(Duration.ofSeconds(SHUTDOWN_BUDGET_SECONDS));
            log(String.format(Locale.ROOT, "Kulipa stopped in %.1f s", seconds(System.nanoTime() - stopping)));
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    /** The database's version and durability settings, for the report. */
    record DbInfo(String version, String fsync, String synchronousCommit) {
        static DbInfo read(Connection admin) throws SQLException {
            return new DbInfo(scalar(admin, "SHOW server_version"), scalar(admin, "SHOW fsync"),
                    scalar(admin, "SHOW synchronous_commit"));
        }
    }

    // ---------------------------------------------------------------- HTTP load

    /** The same clients on GET /health (no database): what HTTP and the load generator cost here. */
    static Window httpFloor(Kulipa kulipa, Connection admin, Cpu cpu) throws Exception {
        URI health = URI.create("http://" + TARGET_HOST + ":" + kulipa.port() + "/health");
        log("http floor: " + HTTP_CLIENTS + " HTTP clients, GET " + health + ", warm-up " + HTTP_FLOOR_WARMUP_SECONDS
                + " s, measure " + HTTP_FLOOR_MEASURE_SECONDS + " s");
        return httpLoad("health", HTTP_FLOOR_WARMUP_SECONDS, HTTP_FLOOR_MEASURE_SECONDS, admin, cpu, null,
                () -> HttpRequest.newBuilder(health).GET(),
                r -> r.statusCode() == 200 && r.body().contains("UP"));
    }

    /** {@link #HTTP_CLIENTS} clients, each on its own thread and connection, sending back to back. */
    static Window httpLoad(String name, long warmupSeconds, long measureSeconds, Connection admin, Cpu cpu,
                           Observer observer, Supplier<HttpRequest.Builder> requests,
                           Predicate<HttpResponse<String>> counted) throws Exception {
        Phase phase = new Phase(warmupSeconds, measureSeconds);
        Map<String, LongAdder> others = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        List<HttpClient> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < HTTP_CLIENTS; i++) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(HTTP_CONNECT_TIMEOUT_SECONDS)).build();
                clients.add(client);
                threads.add(Thread.ofPlatform().name(name + "-client-" + i).start(() -> {
                    while (System.nanoTime() < phase.endNanos) {
                        HttpRequest request = requests.get()
                                .timeout(Duration.ofSeconds(HTTP_REQUEST_TIMEOUT_SECONDS)).build();
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                            long t1 = System.nanoTime();
                            if (counted.test(response)) {
                                phase.record(t0, t1);
                            } else if (phase.inWindow(t1)) {
                                String status = statusWord(response.body());
                                others.computeIfAbsent("HTTP " + response.statusCode() + " " + status,
                                        k -> new LongAdder()).increment();
                            }
                        } catch (IOException e) {
                            if (phase.inWindow(System.nanoTime())) {
                                errors.increment();
                                others.computeIfAbsent("I/O error " + e.getClass().getSimpleName(),
                                        k -> new LongAdder()).increment();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            Window w = phase.await(threads, admin, cpu, name, observer);
            Map<String, Long> otherCounts = new TreeMap<>();
            others.forEach((k, v) -> otherCounts.put(k, v.sum()));
            return w.withFailures(errors.sum(), otherCounts);
        } finally {
            clients.forEach(HttpClient::close);
        }
    }

    /** The next customer number: 2607630 followed by five digits, cycling. */
    static String nextMsisdn() {
        long n = Math.floorMod(MSISDN_SEQUENCE.getAndIncrement(), MSISDN_SPREAD);
        return MSISDN_PREFIX + String.format(Locale.ROOT, "%05d", n);
    }

    static String statusWord(String body) {
        int i = body.indexOf("\"status\":\"");
        if (i < 0) {
            return "(no status)";
        }
        int from = i + 10;
        int to = body.indexOf('"', from);
        return to < 0 ? "(no status)" : body.substring(from, to);
    }

    /** No answer counted, or more than {@link #OTHER_ANSWERS_MAX_SHARE} of the answers something else. */
    static boolean answersValid(Window gateway) {
        long others = gateway.others().values().stream().mapToLong(Long::longValue).sum();
        return gateway.count() > 0 && others <= OTHER_ANSWERS_MAX_SHARE * (gateway.count() + others);
    }

    // ---------------------------------------------------------------- after the gateway run

    /** What the gateway still had to do when the window closed, and how long it took to finish. */
    record Backlog(Map<String, Long> paymentsAtEnd, Map<String, Long> jobsAtEnd, double drainSeconds,
                   boolean drained, Map<String, Long> paymentsAfter, Map<String, Long> jobsAfter) {
    }

    private static final String PAYMENTS_BY_STATE = "SELECT state, count(*) FROM payment GROUP BY state";
    /** Outbox jobs due now and not done, by kind; status checks planned for later do not count. */
    private static final String DUE_JOBS_BY_KIND =
            "SELECT kind, count(*) FROM outbox WHERE state = 'PENDING' AND due_at <= now() GROUP BY kind";
    private static final Set<String> FINAL_STATES = Set.of("COMPLETED", "FAILED");

    static Backlog drainBacklog(Connection admin) throws SQLException, InterruptedException {
        Map<String, Long> payments = counts(admin, PAYMENTS_BY_STATE);
        Map<String, Long> jobs = counts(admin, DUE_JOBS_BY_KIND);
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(BACKLOG_DRAIN_MAX_SECONDS).toNanos();
        Map<String, Long> paymentsNow = payments;
        Map<String, Long> jobsNow = jobs;
        boolean drained = settled(paymentsNow, jobsNow);
        while (!drained && System.nanoTime() < deadline) {
            Thread.sleep(BACKLOG_POLL_MILLIS);
            paymentsNow = counts(admin, PAYMENTS_BY_STATE);
            jobsNow = counts(admin, DUE_JOBS_BY_KIND);
            drained = settled(paymentsNow, jobsNow);
        }
        return new Backlog(payments, jobs, seconds(System.nanoTime() - t0), drained, paymentsNow, jobsNow);
    }

    /** Every payment final and no submit or webhook job due. */
    private static boolean settled(Map<String, Long> payments, Map<String, Long> jobs) {
        return payments.keySet().stream().allMatch(FINAL_STATES::contains)
                && jobs.getOrDefault("SUBMIT", 0L) == 0 && jobs.getOrDefault("WEBHOOK", 0L) == 0;
    }

    // ---------------------------------------------------------------- measuring windows

    /** One warm-up followed by one measured window; threads record completions by end time. */
    static final class Phase {
        final long startNanos = System.nanoTime();
        final long measureFromNanos;
        final long endNanos;
        final LongAdder count = new LongAdder();
        private final List<Latencies> perThread = new ArrayList<>();
        private final ThreadLocal<Latencies> latencies = ThreadLocal.withInitial(this::newLatencies);

        Phase(long warmupSeconds, long measureSeconds) {
            this.measureFromNanos = startNanos + Duration.ofSeconds(warmupSeconds).toNanos();
            this.endNanos = measureFromNanos + Duration.ofSeconds(measureSeconds).toNanos();
        }

        boolean inWindow(long nanos) {
            return nanos >= measureFromNanos && nanos < endNanos;
        }

        void record(long t0, long t1) {
            if (inWindow(t1)) {
                count.increment();
                latencies.get().add(t1 - t0);
            }
        }

        private synchronized Latencies newLatencies() {
            Latencies l = new Latencies();
            perThread.add(l);
            return l;
        }

        synchronized long[] allLatencies() {
            return perThread.stream().map(Latencies::copy).flatMapToLong(Arrays::stream).sorted().toArray();
        }

        /** Samples counters around the window, waits for the threads, and returns the figures. */
        Window await(List<Thread> threads, Connection admin, Cpu cpu, String name, Observer observer)
                throws Exception {
            sleepUntil(measureFromNanos);
            Snapshot before = Snapshot.take(admin, cpu);
            long t0 = System.nanoTime();
            if (observer != null) {
                observer.observeUntil(endNanos);
            }
            sleepUntil(endNanos);
            long t1 = System.nanoTime();
            Snapshot after = Snapshot.take(admin, cpu);
            long joinDeadline = System.nanoTime() + Duration.ofSeconds(JOIN_GRACE_SECONDS).toNanos();
            for (Thread t : threads) {
                long left = Math.max(1, joinDeadline - System.nanoTime());
                if (!t.join(Duration.ofNanos(left))) {
                    log(name + ": thread " + t.getName() + " still busy after the grace period; interrupting");
                    t.interrupt();
                }
            }
            double windowSeconds = (endNanos - measureFromNanos) / 1e9;
            long n = count.sum();
            log(String.format(Locale.ROOT, "%s: %d in %.1f s = %.1f/s", name, n, windowSeconds, n / windowSeconds));
            return new Window(name, n, windowSeconds, allLatencies(), 0, Map.of(), before, after,
                    seconds(t1 - t0), observer == null ? List.of() : observer.summary());
        }

        private static void sleepUntil(long nanos) throws InterruptedException {
            long left;
            while ((left = nanos - System.nanoTime()) > 0) {
                Thread.sleep(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
            }
        }
    }

    /** One thread's latencies, grown by doubling; read by the phase once the window has closed. */
    static final class Latencies {
        private long[] values = new long[4096];
        private int size;

        synchronized void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        synchronized long[] copy() {
            return Arrays.copyOf(values, size);
        }
    }

    record Window(String name, long count, double seconds, long[] sortedLatencies, long errors,
                  Map<String, Long> others, Snapshot before, Snapshot after, double sampledSeconds,
                  List<String> observed) {
        double perSecond() {
            return count / seconds;
        }

        Window withFailures(long errorCount, Map<String, Long> otherAnswers) {
            return new Window(name, count, seconds, sortedLatencies, errorCount, Map.copyOf(otherAnswers), before,
                    after, sampledSeconds, observed);
        }

        double percentileMillis(double p) {
            if (sortedLatencies.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sortedLatencies.length);
            return sortedLatencies[Math.max(0, rank - 1)] / 1e6;
        }
    }

    // ---------------------------------------------------------------- sampling during a window

    /**
     * Samples, every {@link #OBSERVE_EVERY_MILLIS}, the gateway's connection pool (HikariCP's own
     * counters, when a gateway is given) and what the observed PostgreSQL sessions are doing
     * (pg_stat_activity), and reports the averages: whether requests queue for connections, and
     * whether the connections they hold are busy in PostgreSQL, waiting on a lock, or waiting on
     * the JVM.
     */
    static final class Observer {
        private final Kulipa kulipa;
        private final String jdbcUrl;
        private final String applicationName;
        private final boolean sameApplication;
        private final Map<String, Double> sums = new TreeMap<>();
        private int samples;
        private String failure;

        private Observer(Kulipa kulipa, String applicationName, boolean sameApplication) {
            this.kulipa = kulipa;
            this.jdbcUrl = loopback(kulipa.database().jdbcUrl());
            this.applicationName = applicationName;
            this.sameApplication = sameApplication;
        }

        /** The gateway's pool and its own sessions (every session but the benchmark's, kulipa-bench*). */
        static Observer gateway(Kulipa kulipa) {
            return new Observer(kulipa, BENCH_APPLICATION_NAME, false);
        }

        /** Only the sessions connected with this application name; no pool figures. */
        static Observer sessions(Kulipa kulipa, String applicationName) {
            return new Observer(kulipa, applicationName, true);
        }

        void observeUntil(long endNanos) {
            com.zaxxer.hikari.HikariPoolMXBean pool = null;
            if (!sameApplication && kulipa.database().dataSource() instanceof com.zaxxer.hikari.HikariDataSource h) {
                pool = h.getHikariPoolMXBean();
            }
            try (Connection c = connect(jdbcUrl);
                 PreparedStatement activity = c.prepareStatement("""
                         SELECT CASE WHEN state = 'active' THEN 'active, '
                                     || coalesce(wait_event_type || ':' || wait_event, 'on CPU')
                                     || CASE WHEN wait_event_type = 'Lock'
                                             THEN ' in "' || left(regexp_replace(query, '\\s+', ' ', 'g'), 34) || '"'
                                             ELSE '' END
                                     ELSE coalesce(state, '?') END, count(*)
                         FROM pg_stat_activity
                         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
                           AND CASE WHEN ? THEN application_name = ?
                                    ELSE application_name NOT LIKE ? || '%' END
                         GROUP BY 1""")) {
                activity.setQueryTimeout(JDBC_QUERY_TIMEOUT_SECONDS);
                activity.setBoolean(1, sameApplication);
                activity.setString(2, applicationName);
                activity.setString(3, applicationName);
                while (System.nanoTime() < endNanos) {
                    long next = System.nanoTime() + Duration.ofMillis(OBSERVE_EVERY_MILLIS).toNanos();
                    if (pool != null) {
                        add("pool: connections in use", pool.getActiveConnections());
                        add("pool: connections idle", pool.getIdleConnections());
                        add("pool: threads waiting for a connection", pool.getThreadsAwaitingConnection());
                    }
                    try (ResultSet rs = activity.executeQuery()) {
                        while (rs.next()) {
                            add("postgres sessions: " + rs.getString(1), rs.getLong(2));
                        }
                    }
                    samples++;
                    long left = next - System.nanoTime();
                    if (left > 0) {
                        Thread.sleep(Duration.ofNanos(Math.min(left, Math.max(0, endNanos - System.nanoTime()))));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void add(String key, double value) {
            sums.merge(key, value, Double::sum);
        }

        List<String> summary() {
            List<String> lines = new ArrayList<>();
            if (samples > 0) {
                sums.forEach((k, v) -> lines.add(String.format(Locale.ROOT, "%-90s %6.1f", k, v / samples)));
            }
            if (failure != null) {
                lines.add("(sampling stopped: " + failure + ")");
            }
            return lines;
        }
    }

    // ---------------------------------------------------------------- database and CPU counters

    /** Cumulative counters of the database and of the machine at one moment, and the database's clock. */
    record Snapshot(Map<String, Long> db, Map<String, Long> tables, Map<String, Long> cpuTicks, String dbTime) {
        static Snapshot take(Connection admin, Cpu cpu) throws SQLException {
            Map<String, Long> db = new LinkedHashMap<>();
            db.putAll(row(admin, "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, "
                    + "tup_fetched, deadlocks FROM pg_stat_database WHERE datname = current_database()"));
            try {
                db.putAll(row(admin, "SELECT wal_records, wal_bytes::bigint AS wal_bytes, wal_write, wal_sync "
                        + "FROM pg_stat_wal"));
            } catch (SQLException e) {
                // pg_stat_wal lost these columns in later PostgreSQL versions; they are extras.
            }
            Map<String, Long> tables = counts(admin, "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del "
                    + "FROM pg_stat_user_tables");
            String now = scalar(admin, "SELECT clock_timestamp()::text");
            return new Snapshot(db, tables, cpu.sample(), now);
        }

        static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
            Map<String, Long> d = new LinkedHashMap<>();
            later.forEach((k, v) -> d.put(k, v - earlier.getOrDefault(k, 0L)));
            return d;
        }
    }

    /**
     * CPU time from /proc: the whole machine, this JVM, and this run's PostgreSQL: its postmaster
     * (with the time of the children it has reaped, so that sessions which end do not take their
     * time away) and its live children. Other PostgreSQL servers on the machine (other people's
     * test databases) count as other processes. When the postmaster is not known, every process
     * named postgres counts.
     */
    static final class Cpu {
        final long ticksPerSecond = clockTicks();
        final long selfPid = ProcessHandle.current().pid();
        /** This run's postmaster, or -1: then every postgres process on the machine counts. */
        final long postmasterPid;

        Cpu(long postmasterPid) {
            this.postmasterPid = postmasterPid;
        }

        /** The postmaster of the database behind {@code admin}, from its data directory's postmaster.pid. */
        static Cpu of(Connection admin) {
            try {
                Path pidFile = Path.of(scalar(admin, "SHOW data_directory")).resolve("postmaster.pid");
                return new Cpu(Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
            } catch (SQLException | IOException | RuntimeException e) {
                log("cannot find this run's postmaster (" + e + "); CPU of every postgres process counts as postgres");
                return new Cpu(-1);
            }
        }

        /** For reading the tick rate only. */
        Cpu() {
            this(-1);
        }

        String postgresScope() {
            return postmasterPid > 0 ? "this run's postgres (postmaster " + postmasterPid + " and its children)"
                    : "every process named postgres";
        }

        Map<String, Long> sample() {
            Map<String, Long> m = new LinkedHashMap<>();
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(cpu.length, 9); i++) {
                    total += Long.parseLong(cpu[i]);
                }
                m.put("machine_total", total);
                m.put("machine_idle", Long.parseLong(cpu[4]));
                m.put("machine_iowait", Long.parseLong(cpu[5]));
                m.put("jvm", processTicks(selfPid));
                long pg = 0;
                try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                    for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                            .toList()) {
                        try {
                            String stat = Files.readString(p.resolve("stat"));
                            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                            if (!comm.equals("postgres")) {
                                continue;
                            }
                            long pid = Long.parseLong(p.getFileName().toString());
                            if (postmasterPid <= 0) {
                                pg += ticks(stat);
                            } else if (pid == postmasterPid) {
                                pg += ticks(stat) + reapedChildrenTicks(stat);
                            } else if (parent(stat) == postmasterPid) {
                                pg += ticks(stat);
                            }
                        } catch (IOException | RuntimeException e) {
                            // the process ended while we looked
                        }
                    }
                }
                m.put("postgres", pg);
            } catch (IOException | RuntimeException e) {
                // no /proc: leave the CPU figures out
            }
            return m;
        }

        private static long processTicks(long pid) throws IOException {
            return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        }

        private static long ticks(String stat) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(0) ... utime(11) stime(12)
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        private static long reapedChildrenTicks(String stat) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // cutime(13) cstime(14): children that have ended and been waited for
            return Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }

        private static long parent(String stat) {
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        }

        private static long clockTicks() {
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                if (p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    return Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
                }
                p.destroyForcibly();
            } catch (IOException | RuntimeException | InterruptedException e) {
                // fall through to the usual value
            }
            return 100;
        }
    }

    // ---------------------------------------------------------------- report lines

    static final String RULE = "=".repeat(78);

    /** The title and the machine, JDK, code and database lines. */
    static void header(StringBuilder o, String title, DbInfo db) {
        o.append('\n').append(RULE).append('\n');
        o.append(title).append("  ")
                .append(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        o.append(RULE).append('\n');
        o.append(String.format(Locale.ROOT, "machine        %d cores (availableProcessors), %s %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch")));
        o.append(String.format(Locale.ROOT, "JDK            %s %s (%s)%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.home")));
        o.append("gateway code   ").append(SOURCES).append('\n');
        o.append(String.format(Locale.ROOT, "database       embedded PostgreSQL %s, fsync=%s, synchronous_commit=%s%n",
                db.version(), db.fsync(), db.synchronousCommit()));
        o.append(String.format(Locale.ROOT, "windows        warm-up %d s, measured %d s per phase; JVM %s%n",
                WARMUP_SECONDS, MEASURE_SECONDS, ManagementFactory.getRuntimeMXBean().getInputArguments()));
        o.append('\n');
    }

    static String floorLine(Window floor) {
        return String.format(Locale.ROOT, "http floor     %,10.1f GET /health/s  (same clients, no database; "
                        + "p50 %.1f ms, p99 %.1f ms; %d s measured)%n", floor.perSecond(),
                floor.percentileMillis(50), floor.percentileMillis(99), HTTP_FLOOR_MEASURE_SECONDS);
    }

    static String dbLine(Window w, long units, String unit) {
        Map<String, Long> d = Snapshot.minus(w.after().db(), w.before().db());
        double per = units == 0 ? Double.NaN : 1.0 / units;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "  %-9s %,8d transactions (%.2f per %s, %,.0f/s), %,d rows written",
                w.name(), d.getOrDefault("xact_commit", 0L), d.getOrDefault("xact_commit", 0L) * per, unit,
                d.getOrDefault("xact_commit", 0L) / w.sampledSeconds(),
                d.getOrDefault("tup_inserted", 0L) + d.getOrDefault("tup_updated", 0L)
                        + d.getOrDefault("tup_deleted", 0L)));
        if (d.getOrDefault("xact_rollback", 0L) > 0) {
            s.append(String.format(Locale.ROOT, ", %,d rollbacks", d.get("xact_rollback")));
        }
        if (d.getOrDefault("deadlocks", 0L) > 0) {
            s.append(String.format(Locale.ROOT, ", %,d DEADLOCKS", d.get("deadlocks")));
        }
        if (d.containsKey("wal_sync")) {
            s.append(String.format(Locale.ROOT, ", %,d WAL fsyncs (%.0f/s, %.1f transactions each), %.0f WAL bytes per %s",
                    d.get("wal_sync"), d.get("wal_sync") / w.sampledSeconds(),
                    d.get("wal_sync") == 0 ? Double.NaN : (double) d.getOrDefault("xact_commit", 0L) / d.get("wal_sync"),
                    d.get("wal_bytes") * per, unit));
        }
        return s.append('\n').toString();
    }

    static String tableLine(Window w, String unit) {
        Map<String, Long> d = Snapshot.minus(w.after().tables(), w.before().tables());
        StringBuilder s = new StringBuilder("  " + w.name() + " rows written by table (per " + unit + "):");
        d.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> s.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(),
                        w.count() == 0 ? Double.NaN : (double) e.getValue() / w.count())));
        return s.append('\n').toString();
    }

    static String cpuHeading(Cpu cpu) {
        return "CPU per measured window from /proc, in cores; postgres is " + cpu.postgresScope() + ",\n"
                + "other processes is everything else that ran on the machine (other people's builds and tests):\n";
    }

    static String cpuLine(Window w, Cpu cpu) {
        Map<String, Long> d = Snapshot.minus(w.after().cpuTicks(), w.before().cpuTicks());
        if (!d.containsKey("machine_total") || d.get("machine_total") == 0) {
            return "";
        }
        double total = d.get("machine_total");
        double wall = w.sampledSeconds();
        double hz = cpu.ticksPerSecond;
        double cores = Runtime.getRuntime().availableProcessors();
        double busyCores = cores * (total - d.get("machine_idle") - d.get("machine_iowait")) / total;
        double jvm = d.get("jvm") / hz / wall;
        double pg = d.get("postgres") / hz / wall;
        return String.format(Locale.ROOT, "  %-9s CPU (cores busy of %.0f): JVM (gateway + load) %.2f, postgres %.2f, "
                        + "other processes %.2f, idle %.2f, iowait %.2f%n", w.name(), cores, jvm, pg,
                Math.max(0, busyCores - jvm - pg), cores * d.get("machine_idle") / total,
                cores * d.get("machine_iowait") / total);
    }

    /** JVM + postgres CPU milliseconds per unit of work counted in the window. */
    static double cpuMillisPerUnit(Window w, Cpu cpu) {
        Map<String, Long> d = Snapshot.minus(w.after().cpuTicks(), w.before().cpuTicks());
        if (!d.containsKey("jvm") || w.count() == 0) {
            return Double.NaN;
        }
        // Ticks were sampled over sampledSeconds; the count is over the (nearly equal) window.
        double ticks = (d.get("jvm") + d.get("postgres")) * (w.seconds() / w.sampledSeconds());
        return ticks * 1000.0 / cpu.ticksPerSecond / w.count();
    }

    static String observedLines(Window w, String what) {
        if (w.observed().isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("  " + what + ", averages of samples every " + OBSERVE_EVERY_MILLIS
                + " ms:\n");
        w.observed().forEach(l -> s.append("    ").append(l).append('\n'));
        return s.toString();
    }

    static String backlogLines(Backlog backlog) {
        return String.format(Locale.ROOT, "backlog        when the gateway window closed: payments %s, due jobs %s%n"
                        + "               %s %.1f s later: payments %s, due jobs %s%n",
                backlog.paymentsAtEnd(), backlog.jobsAtEnd(),
                backlog.drained() ? "all final and no submit/webhook job due" : "still NOT settled",
                backlog.drainSeconds(), backlog.paymentsAfter(), backlog.jobsAfter());
    }

    static String reproduceLines(String command, String script) {
        return "reproduce      " + command + "   (from the repository root)\n"
                + "               options go as -D flags, e.g. " + script + " -Dbench.measureSeconds=60;\n"
                + "               BENCH_REF=<commit> benchmarks that commit instead of the work tree\n";
    }

    static String settingsLine(String extra) {
        return String.format(Locale.ROOT, "settings       -Dbench.baselineConnections=%d -Dbench.httpClients=%d "
                        + "-Dbench.warmupSeconds=%d -Dbench.measureSeconds=%d%n               "
                        + "-Dbench.approvalDelayMillis=%d -Dbench.sandboxApproval=%s%s%n", BASELINE_CONNECTIONS,
                HTTP_CLIENTS, WARMUP_SECONDS, MEASURE_SECONDS, APPROVAL_DELAY_MILLIS, SANDBOX_APPROVAL,
                extra.isEmpty() ? "" : " " + extra);
    }

    /** Prints the report and saves it to {@code -Dbench.reportFile} when given. */
    static void publish(StringBuilder o) throws IOException {
        o.append(RULE).append('\n');
        System.out.print(o);
        System.out.flush();
        if (REPORT_FILE != null) {
            Files.writeString(Path.of(REPORT_FILE), o.toString());
        }
    }

    // ---------------------------------------------------------------- helpers

    static Connection connect(String url) throws SQLException {
        return connect(url, BENCH_APPLICATION_NAME);
    }

    static Connection connect(String url, String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "");
        p.setProperty("connectTimeout", String.valueOf(JDBC_CONNECT_TIMEOUT_SECONDS));
        p.setProperty("socketTimeout", String.valueOf(JDBC_QUERY_TIMEOUT_SECONDS * 3));
        p.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(url, p);
    }

    /** The gateway's JDBC URL with its host pinned to 127.0.0.1, so that no traffic leaves the loopback. */
    static String loopback(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//(localhost|[^/:]+)(:\\d+)?/", "//" + TARGET_HOST + "$2/");
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(JDBC_QUERY_TIMEOUT_SECONDS);
            s.execute(sql);
        }
    }

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(JDBC_QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static Map<String, Long> row(Connection c, String sql) throws SQLException {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(JDBC_QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery(sql)) {
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        m.put(rs.getMetaData().getColumnLabel(i), rs.getLong(i));
                    }
                }
            }
        }
        return m;
    }

    static Map<String, Long> counts(Connection c, String sql) throws SQLException {
        Map<String, Long> m = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(JDBC_QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    m.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return m;
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing after the run; nothing to do
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log("could not delete " + root + ": " + e);
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void log(String message) {
        System.out.println("bench: " + message);
        System.out.flush();
    }

    static int intProp(String name, int fallback) {
        return Integer.getInteger(name, fallback);
    }

    static long longProp(String name, long fallback) {
        return Long.getLong(name, fallback);
    }
}
