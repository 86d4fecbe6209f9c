import io.kulipa.Kulipa;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput benchmark of POST /payouts from one merchant wallet (one hot ledger account)
 * against the naive way of debiting a hot balance row, on the same database in the same run.
 *
 * <p>Starts Kulipa in sandbox mode on its embedded PostgreSQL (fresh data directory, HTTP on
 * 127.0.0.1, free port, the demo merchant's wallets funded with {@link #WALLET_BALANCE}), then
 * measures:
 * <ol>
 *   <li>the baseline: {@link BenchSupport#BASELINE_CONNECTIONS} JDBC connections, each payout
 *       one transaction on a bench table with one balance row: {@code SELECT balance … FOR
 *       UPDATE}, check, {@code UPDATE} the balance, {@code INSERT} the payout, {@code COMMIT};</li>
 *   <li>the gateway: payouts answered {@code ACCEPTED} per second for
 *       {@link BenchSupport#HTTP_CLIENTS} concurrent {@link HttpClient}s, each sending POST
 *       /payouts from the demo merchant's one ZMW wallet with fresh ids, and the p50 and p99
 *       latency of those POSTs. Accepting a payout reserves its amount on that wallet in the
 *       transaction that stores it, so every accepted payout takes the wallet's row lock.</li>
 * </ol>
 * After the run it checks the money: the baseline's balance went down by exactly what its
 * payout rows add up to, and the gateway's wallet has reserved or spent exactly the amounts of
 * its payouts that did not fail, with no payout failed for want of funds (an ACCEPTED answer
 * would hide that). Each phase runs a warm-up, then a measured window; only work that completes
 * inside the window counts. Every loop is bounded in time and a watchdog stops the process if
 * anything hangs. Run it through {@code bench/run-payouts.sh}; override any constant with the
 * {@code -Dbench.*} property named beside it.
 */
public final class PayoutsBench {

    static final String AMOUNT = "10";
    /** The demo merchant's opening balance in every sandbox wallet, and the baseline's balance. */
    static final String WALLET_BALANCE = System.getProperty("bench.walletBalance", "1000000000000");
    static final double TARGET_RATIO = 2.0;
    static final String SCRIPT = "bench/run-payouts.sh";
    static final String COMMAND = System.getProperty("bench.command", SCRIPT);
    static final String BASELINE_APPLICATION_NAME = BenchSupport.BENCH_APPLICATION_NAME + "-baseline";
    static final String COUNTRY = "ZMB";

    public static void main(String[] args) throws Exception {
        BenchSupport.launch(Map.of("KULIPA_BOOTSTRAP_WALLET_BALANCE", WALLET_BALANCE), PayoutsBench::run);
    }

    private static int run(Kulipa kulipa, String jdbcUrl, Connection admin, BenchSupport.Cpu cpu) throws Exception {
        BenchSupport.DbInfo db = BenchSupport.DbInfo.read(admin);
        BenchSupport.Window baseline = baseline(kulipa, jdbcUrl, admin, cpu);
        Check baselineCheck = baselineCheck(admin);
        BenchSupport.Window floor = BenchSupport.HTTP_FLOOR_MEASURE_SECONDS > 0
                ? BenchSupport.httpFloor(kulipa, admin, cpu) : null;
        BenchSupport.Window gateway = gateway(kulipa, admin, cpu);
        BenchSupport.Backlog backlog = BenchSupport.drainBacklog(admin);
        Check gatewayCheck = gatewayCheck(admin, kulipa.demoMerchantId());
        List<String> batches = batches(admin, gateway);
        boolean valid = BenchSupport.answersValid(gateway) && baseline.count() > 0 && baselineCheck.ok()
                && gatewayCheck.ok();
        report(baseline, floor, gateway, backlog, db, baselineCheck, gatewayCheck, batches, valid, cpu);
        return valid ? 0 : 4;
    }

    // ---------------------------------------------------------------- baseline

    private static BenchSupport.Window baseline(Kulipa kulipa, String jdbcUrl, Connection admin, BenchSupport.Cpu cpu)
            throws Exception {
        BenchSupport.execute(admin, "CREATE TABLE bench_wallet (id int PRIMARY KEY, "
                + "balance numeric NOT NULL CHECK (balance >= 0))");
        BenchSupport.execute(admin, "CREATE TABLE bench_payout (id bigserial PRIMARY KEY, wallet int, amount numeric, "
                + "created_at timestamptz DEFAULT now())");
        BenchSupport.execute(admin, "INSERT INTO bench_wallet (id, balance) VALUES (1, " + new BigDecimal(WALLET_BALANCE)
                .toPlainString() + ")");
        BenchSupport.log("baseline: " + BenchSupport.BASELINE_CONNECTIONS + " JDBC connections, one transaction per "
                + "payout on one balance row (SELECT FOR UPDATE, UPDATE, INSERT, COMMIT), warm-up "
                + BenchSupport.WARMUP_SECONDS + " s, measure " + BenchSupport.MEASURE_SECONDS + " s");
        BigDecimal amount = new BigDecimal(AMOUNT);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < BenchSupport.BASELINE_CONNECTIONS; i++) {
                Connection c = BenchSupport.connect(jdbcUrl, BASELINE_APPLICATION_NAME);
                c.setAutoCommit(false);
                connections.add(c);
            }
            BenchSupport.Phase phase = new BenchSupport.Phase(BenchSupport.WARMUP_SECONDS, BenchSupport.MEASURE_SECONDS);
            LongAdder errors = new LongAdder();
            LongAdder insufficient = new LongAdder();
            List<Thread> threads = new ArrayList<>();
            for (Connection c : connections) {
                threads.add(Thread.ofPlatform().name("baseline-" + threads.size()).start(() -> {
                    try (PreparedStatement lock = c.prepareStatement(
                            "SELECT balance FROM bench_wallet WHERE id = 1 FOR UPDATE");
                         PreparedStatement debit = c.prepareStatement(
                                 "UPDATE bench_wallet SET balance = balance - ? WHERE id = 1");
                         PreparedStatement insert = c.prepareStatement(
                                 "INSERT INTO bench_payout (wallet, amount) VALUES (1, ?)")) {
                        for (PreparedStatement s : List.of(lock, debit, insert)) {
                            s.setQueryTimeout(BenchSupport.JDBC_QUERY_TIMEOUT_SECONDS);
                        }
                        debit.setBigDecimal(1, amount);
                        insert.setBigDecimal(1, amount);
                        while (System.nanoTime() < phase.endNanos) {
                            long t0 = System.nanoTime();
                            BigDecimal balance;
                            try (ResultSet rs = lock.executeQuery()) {
                                rs.next();
                                balance = rs.getBigDecimal(1);
                            }
                            if (balance.compareTo(amount) < 0) {
                                c.rollback();
                                insufficient.increment();
                                BenchSupport.log("baseline wallet ran dry; raise -Dbench.walletBalance");
                                return;
                            }
                            debit.executeUpdate();
                            insert.executeUpdate();
                            c.commit();
                            phase.record(t0, System.nanoTime());
                        }
                    } catch (SQLException e) {
                        errors.increment();
                        BenchSupport.log("baseline thread failed: " + e);
                        try {
                            c.rollback();
                        } catch (SQLException ignored) {
                            // the connection is closed after the phase
                        }
                    }
                }));
            }
            BenchSupport.Window w = phase.await(threads, admin, cpu, "baseline",
                    BenchSupport.Observer.sessions(kulipa, BASELINE_APPLICATION_NAME));
            return w.withFailures(errors.sum() + insufficient.sum(),
                    insufficient.sum() == 0 ? Map.of() : Map.of("wallet ran dry", insufficient.sum()));
        } finally {
            for (Connection c : connections) {
                BenchSupport.closeQuietly(c);
            }
        }
    }

    /** The money adds up: the opening balance is what is left plus every payout row. */
    private static Check baselineCheck(Connection admin) throws SQLException {
        try (PreparedStatement s = admin.prepareStatement("""
                SELECT (SELECT balance FROM bench_wallet WHERE id = 1),
                       (SELECT count(*) FROM bench_payout), (SELECT coalesce(sum(amount), 0) FROM bench_payout)""")) {
            s.setQueryTimeout(BenchSupport.JDBC_QUERY_TIMEOUT_SECONDS);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                BigDecimal left = rs.getBigDecimal(1);
                long rows = rs.getLong(2);
                BigDecimal paid = rs.getBigDecimal(3);
                boolean ok = left.add(paid).compareTo(new BigDecimal(WALLET_BALANCE)) == 0;
                return new Check(ok, String.format(Locale.ROOT,
                        "baseline wallet: %s - %,d payouts of %s = %s left: %s", WALLET_BALANCE, rows, AMOUNT,
                        left.toPlainString(), ok ? "adds up" : "does NOT add up"));
            }
        }
    }

    // ---------------------------------------------------------------- gateway

    private static BenchSupport.Window gateway(Kulipa kulipa, Connection admin, BenchSupport.Cpu cpu)
            throws Exception {
        URI payouts = URI.create("http://" + BenchSupport.TARGET_HOST + ":" + kulipa.port() + "/payouts");
        String bearer = "Bearer " + kulipa.demoToken();
        BenchSupport.log("gateway: " + BenchSupport.HTTP_CLIENTS + " HTTP clients, POST " + payouts + ", warm-up "
                + BenchSupport.WARMUP_SECONDS + " s, measure " + BenchSupport.MEASURE_SECONDS + " s");
        return BenchSupport.httpLoad("gateway", BenchSupport.WARMUP_SECONDS, BenchSupport.MEASURE_SECONDS, admin, cpu,
                BenchSupport.Observer.gateway(kulipa),
                () -> HttpRequest.newBuilder(payouts)
                        .header("Authorization", bearer).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(payoutBody())),
                r -> r.statusCode() == 200 && r.body().contains("\"status\":\"ACCEPTED\""));
    }

    private static String payoutBody() {
        return "{\"payoutId\":\"" + UUID.randomUUID() + "\",\"amount\":\"" + AMOUNT + "\",\"currency\":\""
                + BenchSupport.CURRENCY + "\",\"correspondent\":\"" + BenchSupport.CORRESPONDENT
                + "\",\"recipient\":{\"type\":\"MSISDN\",\"address\":{\"value\":\"" + BenchSupport.nextMsisdn()
                + "\"}},\"customerTimestamp\":\"2020-02-21T17:32:28Z\",\"statementDescription\":\"Bench payout\"}";
    }

    /**
     * The money adds up in one snapshot: what the wallet has reserved or spent equals the payouts
     * that did not fail, and no payout failed for want of funds (it would have been answered
     * ACCEPTED all the same).
     */
    private static Check gatewayCheck(Connection admin, UUID merchant) throws SQLException {
        try (PreparedStatement s = admin.prepareStatement("""
                SELECT a.debits_pending, a.debits_posted, a.credits_posted,
                       (SELECT coalesce(sum(amount), 0) FROM payment
                        WHERE kind = 'PAYOUT' AND merchant_id = a.merchant_id AND currency = a.currency
                          AND state <> 'FAILED'),
                       (SELECT count(*) FROM payment WHERE kind = 'PAYOUT' AND merchant_id = a.merchant_id
                          AND currency = a.currency),
                       (SELECT count(*) FROM payment WHERE kind = 'PAYOUT' AND failure_code = 'BALANCE_INSUFFICIENT'),
                       (SELECT string_agg(k || ' ' || n, ', ' ORDER BY k) FROM (
                          SELECT coalesce(failure_code, state) AS k, count(*) AS n FROM payment
                          WHERE kind = 'PAYOUT' AND state = 'FAILED' GROUP BY 1) f)
                FROM ledger_account a
                WHERE a.kind = 'MERCHANT_WALLET' AND a.merchant_id = ? AND a.country = ? AND a.currency = ?""")) {
            s.setQueryTimeout(BenchSupport.JDBC_QUERY_TIMEOUT_SECONDS);
            s.setObject(1, merchant);
            s.setString(2, COUNTRY);
            s.setString(3, BenchSupport.CURRENCY);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return new Check(false, "gateway wallet: the demo merchant has no " + COUNTRY + " "
                            + BenchSupport.CURRENCY + " wallet");
                }
                BigDecimal pending = rs.getBigDecimal(1);
                BigDecimal posted = rs.getBigDecimal(2);
                BigDecimal credits = rs.getBigDecimal(3);
                BigDecimal notFailed = rs.getBigDecimal(4);
                long payouts = rs.getLong(5);
                long insufficient = rs.getLong(6);
                String failed = rs.getString(7);
                boolean adds = pending.add(posted).compareTo(notFailed) == 0;
                boolean ok = adds && insufficient == 0;
                return new Check(ok, String.format(Locale.ROOT,
                        "gateway wallet: %,d payouts; reserved %s + spent %s = %s, the payouts not FAILED add up to "
                                + "%s: %s;%n               opening balance %s, failed payouts: %s%s",
                        payouts, pending.stripTrailingZeros().toPlainString(),
                        posted.stripTrailingZeros().toPlainString(),
                        pending.add(posted).stripTrailingZeros().toPlainString(),
                        notFailed.stripTrailingZeros().toPlainString(), adds ? "adds up" : "does NOT add up",
                        credits.stripTrailingZeros().toPlainString(), failed == null ? "none" : failed,
                        insufficient == 0 ? "" : "  (BALANCE_INSUFFICIENT: the wallet ran dry; run INVALID)"));
            }
        }
    }

    record Check(boolean ok, String line) {
    }

    /**
     * How many ledger transfers each transaction wrote, from the transfers' xmin, for those
     * created inside the gateway window: every transaction that writes one locks the hot wallet
     * once, so this shows how well group commit batches the reservations (PENDING) and the
     * completions (POST_PENDING).
     */
    private static List<String> batches(Connection admin, BenchSupport.Window gateway) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement s = admin.prepareStatement("""
                SELECT kind, count(*), count(DISTINCT xmin::text),
                       (SELECT max(n) FROM (SELECT count(*) AS n FROM ledger_transfer t2
                                            WHERE t2.kind = t.kind AND t2.created_at >= CAST(? AS timestamptz)
                                              AND t2.created_at < CAST(? AS timestamptz)
                                            GROUP BY t2.xmin::text) m)
                FROM ledger_transfer t
                WHERE created_at >= CAST(? AS timestamptz) AND created_at < CAST(? AS timestamptz)
                GROUP BY kind ORDER BY kind""")) {
            s.setQueryTimeout(BenchSupport.JDBC_QUERY_TIMEOUT_SECONDS);
            String from = gateway.before().dbTime();
            String to = gateway.after().dbTime();
            s.setString(1, from);
            s.setString(2, to);
            s.setString(3, from);
            s.setString(4, to);
            long transactions = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2);
                    long tx = rs.getLong(3);
                    transactions += tx;
                    lines.add(String.format(Locale.ROOT, "%-13s %,8d transfers in %,6d transactions: %.1f per "
                            + "transaction on average, at most %d", rs.getString(1), n, tx,
                            tx == 0 ? Double.NaN : (double) n / tx, rs.getLong(4)));
                }
            }
            lines.add(String.format(Locale.ROOT, "transactions writing ledger transfers (each locks the wallet row "
                    + "once or more): %.0f/s", transactions / gateway.sampledSeconds()));
        }
        return lines;
    }

    // ---------------------------------------------------------------- report

    private static void report(BenchSupport.Window baseline, BenchSupport.Window floor, BenchSupport.Window gateway,
                               BenchSupport.Backlog backlog, BenchSupport.DbInfo db, Check baselineCheck,
                               Check gatewayCheck, List<String> batches, boolean valid, BenchSupport.Cpu cpu)
            throws Exception {
        double ratio = gateway.perSecond() / baseline.perSecond();
        StringBuilder o = new StringBuilder();
        BenchSupport.header(o, "Kulipa payouts benchmark (one hot merchant wallet)", db);
        o.append(String.format(Locale.ROOT, "baseline       %,10.1f payouts/s  (%d JDBC connections, one transaction each "
                        + "on one balance row: SELECT FOR UPDATE, UPDATE, INSERT, COMMIT;%n"
                        + "               %,d committed, p50 %.2f ms, p99 %.2f ms, errors %d%s)%n", baseline.perSecond(),
                BenchSupport.BASELINE_CONNECTIONS, baseline.count(), baseline.percentileMillis(50),
                baseline.percentileMillis(99), baseline.errors(),
                baseline.others().isEmpty() ? "" : " " + baseline.others()));
        o.append(String.format(Locale.ROOT, "gateway        %,10.1f ACCEPTED payouts/s  (%d HTTP clients, %,d accepted, "
                        + "errors %d; %s %s from one wallet)%n", gateway.perSecond(), BenchSupport.HTTP_CLIENTS,
                gateway.count(), gateway.errors(), BenchSupport.CORRESPONDENT, BenchSupport.CURRENCY));
        o.append(String.format(Locale.ROOT, "latency        p50 %.1f ms, p99 %.1f ms  (POST /payouts answered ACCEPTED)%n",
                gateway.percentileMillis(50), gateway.percentileMillis(99)));
        if (floor != null) {
            o.append(BenchSupport.floorLine(floor));
        }
        if (!gateway.others().isEmpty()) {
            o.append("other answers  ").append(gateway.others()).append('\n');
        }
        o.append("money          ").append(baselineCheck.line()).append('\n');
        o.append("               ").append(gatewayCheck.line()).append('\n');
        if (!valid) {
            o.append(String.format(Locale.ROOT, "INVALID RUN    nothing was counted, more than %.0f%% of the answers were "
                    + "not ACCEPTED, or the money does not add up; see above and the log%n",
                    BenchSupport.OTHER_ANSWERS_MAX_SHARE * 100));
        }
        o.append(String.format(Locale.ROOT, "ratio          %.3f  (gateway / baseline; target >= %.1f: %s)%n", ratio,
                TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met"));
        o.append('\n');
        o.append("database work per measured window (pg_stat_* deltas; transactions include read-only ones;\n"
                + "the statistics are flushed about once a second, so these are close, not exact):\n");
        o.append(BenchSupport.dbLine(baseline, baseline.count(), "payout"));
        o.append(BenchSupport.dbLine(gateway, gateway.count(), "accepted payout"));
        o.append(BenchSupport.tableLine(baseline, "payout"));
        o.append(BenchSupport.tableLine(gateway, "accepted payout"));
        o.append("  gateway ledger transfers created in the window, by the transaction that wrote them (xmin):\n");
        batches.forEach(l -> o.append("    ").append(l).append('\n'));
        o.append(BenchSupport.cpuHeading(cpu));
        o.append(BenchSupport.cpuLine(baseline, cpu));
        if (floor != null) {
            o.append(BenchSupport.cpuLine(floor, cpu));
        }
        o.append(BenchSupport.cpuLine(gateway, cpu));
        o.append(String.format(Locale.ROOT, "  CPU per unit (JVM + postgres): %.2f ms per baseline payout, %.2f ms per "
                        + "accepted payout%n", BenchSupport.cpuMillisPerUnit(baseline, cpu),
                BenchSupport.cpuMillisPerUnit(gateway, cpu)));
        o.append(BenchSupport.observedLines(baseline, "baseline window, its " + BenchSupport.BASELINE_CONNECTIONS
                + " sessions"));
        o.append(BenchSupport.observedLines(gateway, "gateway window"));
        o.append(BenchSupport.backlogLines(backlog));
        o.append('\n');
        o.append(BenchSupport.reproduceLines(COMMAND, SCRIPT));
        o.append(BenchSupport.settingsLine("-Dbench.walletBalance=" + WALLET_BALANCE));
        BenchSupport.publish(o);
    }
}
