import io.kulipa.Kulipa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput benchmark of POST /deposits against the plain commit rate of the same database.
 *
 * <p>Starts Kulipa in sandbox mode on its embedded PostgreSQL (fresh data directory, HTTP on
 * 127.0.0.1, free port), then in one run and on that one database measures:
 * <ol>
 *   <li>the baseline: single-row INSERT + COMMIT (autocommit) transactions per second from
 *       {@link BenchSupport#BASELINE_CONNECTIONS} JDBC connections into a bench table;</li>
 *   <li>the gateway: deposits answered {@code ACCEPTED} per second for
 *       {@link BenchSupport#HTTP_CLIENTS} concurrent {@link HttpClient}s, each sending POST
 *       /deposits with fresh ids, and the p50 and p99 latency of those POSTs.</li>
 * </ol>
 * Each phase runs a warm-up, then a measured window; only work that completes inside the
 * window counts. Every loop is bounded in time and a watchdog stops the process if anything
 * hangs. Run it through {@code bench/run-deposits.sh} (which compiles it with
 * {@code BenchSupport.java}); override any constant with the {@code -Dbench.*} property named
 * beside it.
 */
public final class DepositsBench {

    static final String AMOUNT = "15";
    static final double TARGET_RATIO = 0.5;
    static final String SCRIPT = "bench/run-deposits.sh";
    static final String COMMAND = System.getProperty("bench.command", SCRIPT);

    public static void main(String[] args) throws Exception {
        BenchSupport.launch(Map.of(), DepositsBench::run);
    }

    private static int run(Kulipa kulipa, String jdbcUrl, Connection admin, BenchSupport.Cpu cpu) throws Exception {
        BenchSupport.DbInfo db = BenchSupport.DbInfo.read(admin);
        BenchSupport.Window baseline = baseline(jdbcUrl, admin, cpu);
        BenchSupport.Window floor = BenchSupport.HTTP_FLOOR_MEASURE_SECONDS > 0
                ? BenchSupport.httpFloor(kulipa, admin, cpu) : null;
        BenchSupport.Window gateway = gateway(kulipa, admin, cpu);
        BenchSupport.Backlog backlog = BenchSupport.drainBacklog(admin);
        boolean valid = BenchSupport.answersValid(gateway);
        report(baseline, floor, gateway, backlog, db, valid, cpu);
        return valid ? 0 : 4;
    }

    // ---------------------------------------------------------------- baseline

    private static BenchSupport.Window baseline(String jdbcUrl, Connection admin, BenchSupport.Cpu cpu)
            throws Exception {
        BenchSupport.execute(admin, "CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, payload text)");
        BenchSupport.log("baseline: " + BenchSupport.BASELINE_CONNECTIONS + " JDBC connections, autocommit INSERT, "
                + "warm-up " + BenchSupport.WARMUP_SECONDS + " s, measure " + BenchSupport.MEASURE_SECONDS + " s");
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < BenchSupport.BASELINE_CONNECTIONS; i++) {
                Connection c = BenchSupport.connect(jdbcUrl);
                c.setAutoCommit(true);
                connections.add(c);
            }
            BenchSupport.Phase phase = new BenchSupport.Phase(BenchSupport.WARMUP_SECONDS, BenchSupport.MEASURE_SECONDS);
            LongAdder errors = new LongAdder();
            List<Thread> threads = new ArrayList<>();
            for (Connection c : connections) {
                threads.add(Thread.ofPlatform().name("baseline-" + threads.size()).start(() -> {
                    String payload = "x".repeat(64);
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO bench_baseline (payload) VALUES (?)")) {
                        insert.setQueryTimeout(BenchSupport.JDBC_QUERY_TIMEOUT_SECONDS);
                        insert.setString(1, payload);
                        while (System.nanoTime() < phase.endNanos) {
                            long t0 = System.nanoTime();
                            insert.executeUpdate();
                            phase.record(t0, System.nanoTime());
                        }
                    } catch (SQLException e) {
                        errors.increment();
                        BenchSupport.log("baseline thread failed: " + e);
                    }
                }));
            }
            return phase.await(threads, admin, cpu, "baseline", null).withFailures(errors.sum(), Map.of());
        } finally {
            for (Connection c : connections) {
                BenchSupport.closeQuietly(c);
            }
        }
    }

    // ---------------------------------------------------------------- gateway

    private static BenchSupport.Window gateway(Kulipa kulipa, Connection admin, BenchSupport.Cpu cpu)
            throws Exception {
        URI deposits = URI.create("http://" + BenchSupport.TARGET_HOST + ":" + kulipa.port() + "/deposits");
        String bearer = "Bearer " + kulipa.demoToken();
        BenchSupport.log("gateway: " + BenchSupport.HTTP_CLIENTS + " HTTP clients, POST " + deposits + ", warm-up "
                + BenchSupport.WARMUP_SECONDS + " s, measure " + BenchSupport.MEASURE_SECONDS + " s");
        return BenchSupport.httpLoad("gateway", BenchSupport.WARMUP_SECONDS, BenchSupport.MEASURE_SECONDS, admin, cpu,
                BenchSupport.Observer.gateway(kulipa),
                () -> HttpRequest.newBuilder(deposits)
                        .header("Authorization", bearer).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(depositBody())),
                r -> r.statusCode() == 200 && r.body().contains("\"status\":\"ACCEPTED\""));
    }

    private static String depositBody() {
        return "{\"depositId\":\"" + UUID.randomUUID() + "\",\"amount\":\"" + AMOUNT + "\",\"currency\":\""
                + BenchSupport.CURRENCY + "\",\"correspondent\":\"" + BenchSupport.CORRESPONDENT
                + "\",\"payer\":{\"type\":\"MSISDN\",\"address\":{\"value\":\"" + BenchSupport.nextMsisdn()
                + "\"}},\"customerTimestamp\":\"2020-02-21T17:32:28Z\",\"statementDescription\":\"Bench deposit\"}";
    }

    // ---------------------------------------------------------------- report

    private static void report(BenchSupport.Window baseline, BenchSupport.Window floor, BenchSupport.Window gateway,
                               BenchSupport.Backlog backlog, BenchSupport.DbInfo db, boolean valid,
                               BenchSupport.Cpu cpu) throws Exception {
        double ratio = gateway.perSecond() / baseline.perSecond();
        StringBuilder o = new StringBuilder();
        BenchSupport.header(o, "Kulipa deposits benchmark", db);
        o.append(String.format(Locale.ROOT, "baseline       %,10.1f INSERT+COMMIT/s  (%d JDBC connections, %,d commits, "
                        + "p50 %.2f ms, p99 %.2f ms, errors %d)%n", baseline.perSecond(),
                BenchSupport.BASELINE_CONNECTIONS, baseline.count(), baseline.percentileMillis(50),
                baseline.percentileMillis(99), baseline.errors()));
        o.append(String.format(Locale.ROOT, "gateway        %,10.1f ACCEPTED deposits/s  (%d HTTP clients, %,d accepted, "
                        + "errors %d)%n", gateway.perSecond(), BenchSupport.HTTP_CLIENTS, gateway.count(),
                gateway.errors()));
        o.append(String.format(Locale.ROOT, "latency        p50 %.1f ms, p99 %.1f ms  (POST /deposits answered ACCEPTED)%n",
                gateway.percentileMillis(50), gateway.percentileMillis(99)));
        if (floor != null) {
            o.append(BenchSupport.floorLine(floor));
        }
        if (!gateway.others().isEmpty()) {
            o.append("other answers  ").append(gateway.others()).append('\n');
        }
        if (!valid) {
            o.append(String.format(Locale.ROOT, "INVALID RUN    no deposit was accepted, or more than %.0f%% of the "
                    + "answers were not ACCEPTED; see the log%n", BenchSupport.OTHER_ANSWERS_MAX_SHARE * 100));
        }
        o.append(String.format(Locale.ROOT, "ratio          %.3f  (gateway / baseline; target >= %.1f: %s)%n", ratio,
                TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met"));
        o.append('\n');
        o.append("database work per measured window (pg_stat_* deltas; transactions include read-only ones;\n"
                + "the statistics are flushed about once a second, so these are close, not exact):\n");
        o.append(BenchSupport.dbLine(baseline, baseline.count(), "INSERT"));
        o.append(BenchSupport.dbLine(gateway, gateway.count(), "accepted deposit"));
        o.append(BenchSupport.tableLine(gateway, "accepted deposit"));
        o.append(BenchSupport.cpuHeading(cpu));
        o.append(BenchSupport.cpuLine(baseline, cpu));
        if (floor != null) {
            o.append(BenchSupport.cpuLine(floor, cpu));
        }
        o.append(BenchSupport.cpuLine(gateway, cpu));
        o.append(String.format(Locale.ROOT, "  CPU per unit (JVM + postgres): %.2f ms per INSERT, %.2f ms per accepted "
                + "deposit%n", BenchSupport.cpuMillisPerUnit(baseline, cpu), BenchSupport.cpuMillisPerUnit(gateway, cpu)));
        o.append(BenchSupport.observedLines(gateway, "gateway window"));
        o.append(BenchSupport.backlogLines(backlog));
        o.append('\n');
        o.append(BenchSupport.reproduceLines(COMMAND, SCRIPT));
        o.append(BenchSupport.settingsLine(""));
        BenchSupport.publish(o);
    }
}
