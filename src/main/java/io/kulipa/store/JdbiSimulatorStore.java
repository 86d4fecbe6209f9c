package io.kulipa.store;

import io.kulipa.providers.simulator.SimAccount;
import io.kulipa.providers.simulator.SimPin;
import io.kulipa.providers.simulator.SimTransaction;
import io.kulipa.providers.simulator.SimWallet;
import io.kulipa.providers.simulator.SimulatorStore;
import io.kulipa.providers.simulator.Sms;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** The simulated operators' books in PostgreSQL, so that the sandbox survives restarts too. */
public final class JdbiSimulatorStore implements SimulatorStore {

    private static final String TX_COLUMNS = "reference, provider_ref, operation, correspondent, msisdn, amount, "
            + "currency, description, status, planned, failure_code, due_at, pin_attempts, send_callback, "
            + "created_at, finished_at";
    private static final RowMapper<SimTransaction> TX = JdbiSimulatorStore::transaction;
    /** A wallet row as read: {@code clearPin} is set only on a row written before V14. */
    private record WalletRow(SimWallet wallet, String clearPin) {
    }

    private static final RowMapper<WalletRow> WALLET = (rs, ctx) -> new WalletRow(new SimWallet(rs.getString("msisdn"),
            rs.getString("currency"), rs.getBigDecimal("balance"), rs.getString("pin_hash"),
            rs.getString("approval_mode")), rs.getString("pin"));

    private static WalletRow walletRow(ResultSet rs) throws SQLException {
        return new WalletRow(new SimWallet(rs.getString("msisdn"), rs.getString("currency"), rs.getBigDecimal("balance"),
                rs.getString("pin_hash"), rs.getString("approval_mode")), rs.getString("pin"));
    }

    private final Jdbi jdbi;
    private final Sessions sessions;

    public JdbiSimulatorStore(Jdbi jdbi) {
        this(jdbi, null);
    }

    /** @param direct the pool under {@code jdbi}, for the operator's books in plain JDBC ({@link Sessions}); null for Jdbi */
    public JdbiSimulatorStore(Jdbi jdbi, javax.sql.DataSource direct) {
        this.jdbi = jdbi;
        this.sessions = new Sessions(jdbi, direct);
    }

    private static SimTransaction transaction(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws SQLException {
        return transaction(rs);
    }

    private static SimTransaction transaction(ResultSet rs) throws SQLException {
        return new SimTransaction(rs.getString("reference"), rs.getString("provider_ref"), rs.getString("operation"),
                rs.getString("correspondent"), rs.getString("msisdn"), rs.getBigDecimal("amount"),
                rs.getString("currency"), rs.getString("description"),
                SimTransaction.Status.valueOf(rs.getString("status")), rs.getString("planned"),
                rs.getString("failure_code"), PaymentRows.instant(rs, "due_at"), rs.getInt("pin_attempts"),
                rs.getBoolean("send_callback"), PaymentRows.instant(rs, "created_at"),
                PaymentRows.instant(rs, "finished_at"));
    }

    @Override
    public java.util.Map<String, io.kulipa.providers.simulator.SimulatedOperators.Knobs> knobs() {
        java.util.Map<String, io.kulipa.providers.simulator.SimulatedOperators.Knobs> out = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT correspondent, outage, lose_callbacks FROM sim_operator_knobs")
                .map((rs, ctx) -> java.util.Map.entry(rs.getString("correspondent"),
                        new io.kulipa.providers.simulator.SimulatedOperators.Knobs(rs.getBoolean("outage"),
                                rs.getBoolean("lose_callbacks"))))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public void knobs(String correspondent, io.kulipa.providers.simulator.SimulatedOperators.Knobs knobs) {
        if (!knobs.outage() && !knobs.loseCallbacks()) {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM sim_operator_knobs WHERE correspondent = :c")
                    .bind("c", correspondent).execute());
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO sim_operator_knobs (correspondent, outage, lose_callbacks) VALUES (:c, :o, :l)
                        ON CONFLICT (correspondent) DO UPDATE SET outage = :o, lose_callbacks = :l, set_at = now()""")
                .bind("c", correspondent).bind("o", knobs.outage()).bind("l", knobs.loseCallbacks()).execute());
    }

    @Override
    public String insertIfAbsent(SimTransaction t) {
        return insertAllIfAbsent(List.of(t)).getFirst();
    }

    /**
     * One statement for the batch (issue 14: one per submit before), in reference order, so that two
     * batches repeating the same submits never wait on each other in a circle. A reference twice in
     * the batch is written once; both answers are the operator reference of the first.
     */
    @Override
    public List<String> insertAllIfAbsent(List<SimTransaction> transactions) {
        return bookAll(transactions.stream().map(Booking::as).toList()).stream().map(Booked::providerRef).toList();
    }

    @Override
    public List<Booked> bookAll(List<Booking> bookings) {
        java.util.Map<String, Booking> distinct = new java.util.TreeMap<>();
        bookings.forEach(b -> distinct.putIfAbsent(b.transaction().reference(), b));
        List<Booking> rows = List.copyOf(distinct.values());
        java.util.Map<String, Booked> booked = Retrying.onConflict(() -> sessions.inTransaction(
                "book simulated submits", c -> {
                    try (java.sql.PreparedStatement ps = c.prepareStatement(INSERT_TXS)) {
                        Jdbc.bind(ps, Jdbc.texts(c, rows, b -> b.transaction().reference()),
                                Jdbc.texts(c, rows, b -> b.transaction().providerRef()),
                                Jdbc.texts(c, rows, b -> b.transaction().operation()),
                                Jdbc.texts(c, rows, b -> b.transaction().correspondent()),
                                Jdbc.texts(c, rows, b -> b.transaction().msisdn()),
                                Jdbc.texts(c, rows, b -> b.transaction().amount().toPlainString()),
                                Jdbc.texts(c, rows, b -> b.transaction().currency()),
                                Jdbc.texts(c, rows, b -> b.transaction().description()),
                                Jdbc.texts(c, rows, b -> b.transaction().status().name()),
                                Jdbc.texts(c, rows, b -> b.transaction().planned()),
                                Jdbc.texts(c, rows, b -> b.transaction().dueAt()),
                                Jdbc.texts(c, rows, b -> b.transaction().sendCallback()),
                                Jdbc.texts(c, rows, b -> b.transaction().created()),
                                Jdbc.texts(c, rows, Booking::byWallet), Jdbc.texts(c, rows, Booking::manualByDefault),
                                Jdbc.texts(c, rows, Booking::manualPlanned), Jdbc.texts(c, rows, Booking::manualDue));
                        java.util.Map<String, Booked> refs = new java.util.HashMap<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                refs.put(rs.getString(1), new Booked(rs.getString(2),
                                        rs.getTimestamp(3).toInstant()));
                            }
                        }
                        return refs;
                    }
                }));
        return bookings.stream().map(b -> java.util.Objects.requireNonNull(booked.get(b.transaction().reference()),
                "no booking returned for a simulated submit")).toList();
    }

    /**
     * The batch's submits in one statement. A booking "by wallet" reads its customer's approval mode
     * in the same statement (issue 14: it was a read of its own per submit): manual, or unset with
     * manual the default, books the manual plan and due time. A repeated reference answers the
     * first booking's row.
     */
    private static final String INSERT_TXS = """
            INSERT INTO sim_transaction (reference, provider_ref, operation, correspondent, msisdn, amount,
                currency, description, status, planned, due_at, send_callback, created_at)
            SELECT r, pr, op, co, m, CAST(a AS numeric), cur, d, st,
                   CASE WHEN manual THEN mpl ELSE pl END,
                   CAST(CASE WHEN manual THEN mdue ELSE due END AS timestamptz),
                   CAST(sc AS boolean), CAST(cr AS timestamptz)
            FROM (SELECT u.*, CAST(u.bw AS boolean)
                              AND COALESCE(w.approval_mode = 'manual', CAST(u.dm AS boolean)) AS manual
                  FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                              CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                              CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                              CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                              CAST(? AS text[]))
                           AS u(r, pr, op, co, m, a, cur, d, st, pl, due, sc, cr, bw, dm, mpl, mdue)
                  LEFT JOIN sim_wallet w ON w.msisdn = u.m) b
            ORDER BY r
            ON CONFLICT (reference) DO UPDATE SET reference = EXCLUDED.reference
            RETURNING reference, provider_ref, due_at""";

    @Override
    public Optional<SimTransaction> find(String reference) {
        return sessions.withConnection("read simulated transaction", c -> Jdbc.one(c,
                "SELECT " + TX_COLUMNS + " FROM sim_transaction WHERE reference = ?", JdbiSimulatorStore::transaction,
                reference));
    }

    @Override
    public List<SimTransaction> open(String msisdn, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TX_COLUMNS + " FROM sim_transaction "
                        + "WHERE msisdn = :m AND status IN ('PROCESSING', 'AWAITING_APPROVAL') "
                        + "ORDER BY created_at LIMIT :limit")
                .bind("m", msisdn).bind("limit", limit).map(TX).list());
    }

    @Override
    public List<Sms> inbox(String msisdn, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, msisdn, at, sender, text FROM sim_sms WHERE msisdn = :m ORDER BY id DESC LIMIT :limit")
                .bind("m", msisdn).bind("limit", limit)
                .map((rs, ctx) -> new Sms(rs.getLong("id"), rs.getString("msisdn"), PaymentRows.instant(rs, "at"),
                        rs.getString("sender"), rs.getString("text"))).list());
    }

    @Override
    public Optional<SimWallet> wallet(String msisdn) {
        return sessions.withConnection("read simulated wallet", c -> {
            Optional<WalletRow> row = Jdbc.one(c, "SELECT * FROM sim_wallet WHERE msisdn = ?",
                    JdbiSimulatorStore::walletRow, msisdn);
            return row.isEmpty() ? Optional.<SimWallet>empty() : Optional.of(hashed(c, row.get()));
        });
    }

    /**
     * A wallet with its clear PIN (a row of before V14) replaced by the hash, in the table too:
     * the first read of such a row converts it. The update is conditional on the clear PIN, so
     * that a PIN the customer changed meanwhile is not overwritten.
     */
    private static SimWallet hashed(java.sql.Connection c, WalletRow row) {
        if (row.clearPin() == null) {
            return row.wallet();
        }
        String hash = SimPin.hash(row.clearPin());
        Jdbc.update(c, "UPDATE sim_wallet SET pin_hash = ?, pin = NULL WHERE msisdn = ? AND pin = ?", hash,
                row.wallet().msisdn(), row.clearPin());
        SimWallet w = row.wallet();
        return new SimWallet(w.msisdn(), w.currency(), w.balance(), hash, w.approvalMode());
    }

    @Override
    public int checkNowWhereCallbacksDied() {
        return checkNowWhereCallbacksDied(jdbi, "sim_transaction", "s.status IN ('COMPLETED', 'FAILED') AND s.send_callback");
    }

    /**
     * Makes due now the pending status check, not held by any node and due later, of each payment
     * whose simulated book {@code books} (aliased {@code s}, referenced by the payment's id) has a
     * row meeting {@code decidedWithCallback}: decided, with a callback that was to be sent. Only
     * at start, so the checks it reads are bounded by the payments in flight.
     */
    static int checkNowWhereCallbacksDied(Jdbi jdbi, String books, String decidedWithCallback) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE outbox o SET due_at = now()
                FROM %s s
                WHERE o.kind = 'CHECK' AND o.state = 'PENDING' AND o.lease_owner IS NULL AND o.due_at > now()
                  AND s.reference = CAST(o.payment_id AS text) AND %s""".formatted(books, decidedWithCallback))
                .execute());
    }

    @Override
    public int hashClearPins(String openingPin, int limit) {
        return jdbi.inTransaction(h -> {
            // Wallets that kept the opening PIN need no hash: no pin_hash means the opening PIN.
            int opening = h.createUpdate("UPDATE sim_wallet SET pin = NULL WHERE msisdn IN (SELECT msisdn "
                            + "FROM sim_wallet WHERE pin = :opening LIMIT :limit FOR UPDATE SKIP LOCKED)")
                    .bind("opening", openingPin).bind("limit", limit).execute();
            List<WalletRow> chosen = h.createQuery("SELECT * FROM sim_wallet WHERE pin IS NOT NULL "
                            + "LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .bind("limit", Math.max(0, limit - opening)).map(WALLET).list();
            chosen.forEach(row -> hashed(h.getConnection(), row));
            return opening + chosen.size();
        });
    }

    /** A customer holds a handful of accounts; this bounds what one look-up returns. */
    private static final int ACCOUNTS_MAX = 20;
    private static final RowMapper<SimAccount> ACCOUNT = (rs, ctx) -> account(rs);

    private static SimAccount account(ResultSet rs) throws SQLException {
        return new SimAccount(rs.getString("msisdn"), rs.getString("number"), rs.getString("name"),
                rs.getString("currency"), rs.getBigDecimal("balance"));
    }

    @Override
    public List<SimAccount> accounts(String msisdn) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sim_account WHERE msisdn = :m "
                        + "ORDER BY created_at, number LIMIT " + ACCOUNTS_MAX)
                .bind("m", msisdn).map(ACCOUNT).list());
    }

    @Override
    public <R> R inTransaction(Function<Books, R> work) {
        return sessions.inTransaction("simulated operator's books", c -> {
            ConnectionBooks books = new ConnectionBooks(c);
            R result = work.apply(books);
            books.flush();
            return result;
        });
    }

    /**
     * The books of one transaction, in plain JDBC (issue 14: the simulated operator settles every
     * payment here). Wallets locked in this transaction are kept, with their updates, so a second
     * look needs no round trip; wallet updates, finished transactions and SMS are written together
     * before any other statement of the transaction and before its commit, one statement each for
     * the batch instead of one per settlement.
     */
    private static final class ConnectionBooks implements Books {

        private final java.sql.Connection h;
        private final java.util.Map<String, SimWallet> lockedWallets = new java.util.HashMap<>();
        private final java.util.Map<String, SimWallet> walletUpdates = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, Finished> finished = new java.util.LinkedHashMap<>();
        private final List<Message> messages = new java.util.ArrayList<>();

        private record Finished(String reference, String status, String failureCode) {
        }

        private record Message(String msisdn, String sender, String text) {
        }

        ConnectionBooks(java.sql.Connection h) {
            this.h = h;
        }

        /** Writes what is held back, so that the next statement (or the commit) finds it written. */
        void flush() {
            Jdbc.run("simulated operator's books", () -> {
                if (!walletUpdates.isEmpty()) {
                    List<SimWallet> ws = List.copyOf(walletUpdates.values());
                    walletUpdates.clear();
                    try (java.sql.PreparedStatement ps = h.prepareStatement("""
                            UPDATE sim_wallet w SET balance = u.b, pin_hash = u.p, pin = NULL, approval_mode = u.a
                            FROM unnest(CAST(? AS text[]), CAST(CAST(? AS text[]) AS numeric[]), CAST(? AS text[]),
                                        CAST(? AS text[])) AS u(m, b, p, a)
                            WHERE w.msisdn = u.m""")) {
                        Jdbc.bind(ps, Jdbc.texts(h, ws, SimWallet::msisdn), Jdbc.texts(h, ws, w -> w.balance().toPlainString()),
                                Jdbc.texts(h, ws, SimWallet::pinHash), Jdbc.texts(h, ws, SimWallet::approvalMode));
                        ps.executeUpdate();
                    }
                }
                if (!finished.isEmpty()) {
                    List<Finished> fs = List.copyOf(finished.values());
                    finished.clear();
                    try (java.sql.PreparedStatement ps = h.prepareStatement("""
                            UPDATE sim_transaction t SET status = u.s, failure_code = u.f,
                                finished_at = CASE WHEN u.s IN ('COMPLETED', 'FAILED') THEN now() END
                            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[])) AS u(r, s, f)
                            WHERE t.reference = u.r""")) {
                        Jdbc.bind(ps, Jdbc.texts(h, fs, Finished::reference), Jdbc.texts(h, fs, Finished::status),
                                Jdbc.texts(h, fs, Finished::failureCode));
                        ps.executeUpdate();
                    }
                }
                if (!messages.isEmpty()) {
                    List<Message> ms = List.copyOf(messages);
                    messages.clear();
                    try (java.sql.PreparedStatement ps = h.prepareStatement("""
                            INSERT INTO sim_sms (msisdn, sender, text)
                            SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))""")) {
                        Jdbc.bind(ps, Jdbc.texts(h, ms, Message::msisdn), Jdbc.texts(h, ms, Message::sender),
                                Jdbc.texts(h, ms, Message::text));
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        }

        @Override
        public List<SimTransaction> lockDue(int limit) {
            flush();
            return Jdbc.query(h, "SELECT " + TX_COLUMNS + " FROM sim_transaction "
                    + "WHERE status IN ('PROCESSING', 'AWAITING_APPROVAL') AND due_at <= now() "
                    + "ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED", JdbiSimulatorStore::transaction, limit);
        }

        @Override
        public Optional<SimTransaction> lock(String reference) {
            flush();
            return Jdbc.one(h, "SELECT " + TX_COLUMNS + " FROM sim_transaction WHERE reference = ? FOR UPDATE",
                    JdbiSimulatorStore::transaction, reference);
        }

        @Override
        public SimWallet lockWallet(String msisdn, String currency, BigDecimal openingBalance) {
            SimWallet held = lockedWallets.get(msisdn);
            if (held != null) {
                return held;
            }
            flush();
            // An upsert that changes nothing still locks the row, in one round trip. A new wallet
            // has no pin_hash: it keeps the operator's opening PIN until the customer sets one.
            SimWallet w = hashed(h, Jdbc.one(h, "INSERT INTO sim_wallet (msisdn, currency, balance) VALUES (?, ?, ?) "
                            + "ON CONFLICT (msisdn) DO UPDATE SET msisdn = EXCLUDED.msisdn RETURNING *",
                    JdbiSimulatorStore::walletRow, msisdn, currency, openingBalance).orElseThrow());
            lockedWallets.put(msisdn, w);
            return w;
        }

        @Override
        public void lockWallets(java.util.SequencedMap<String, String> currencies, BigDecimal openingBalance) {
            flush();
            // In number order, so that two transactions locking wallets never wait on each other in a circle.
            List<String> numbers = currencies.keySet().stream().filter(m -> !lockedWallets.containsKey(m))
                    .sorted().toList();
            if (numbers.isEmpty()) {
                return;
            }
            List<WalletRow> rows = Jdbc.run("lock simulated wallets", () -> {
                try (java.sql.PreparedStatement ps = h.prepareStatement("""
                        INSERT INTO sim_wallet (msisdn, currency, balance)
                        SELECT m, c, ? FROM unnest(CAST(? AS text[]), CAST(? AS text[])) WITH ORDINALITY AS u(m, c, n)
                        ORDER BY n
                        ON CONFLICT (msisdn) DO UPDATE SET msisdn = EXCLUDED.msisdn RETURNING *""")) {
                    Jdbc.bind(ps, openingBalance, Jdbc.texts(h, numbers, m -> m),
                            Jdbc.texts(h, numbers, currencies::get));
                    return Jdbc.rows(ps, JdbiSimulatorStore::walletRow);
                }
            });
            for (WalletRow row : rows) {
                lockedWallets.put(row.wallet().msisdn(), hashed(h, row));
            }
        }

        @Override
        public void updateWallet(SimWallet w) {
            // Only a wallet this transaction locked is updated; an update of another goes at once.
            if (!lockedWallets.containsKey(w.msisdn())) {
                flush();
                Jdbc.update(h, "UPDATE sim_wallet SET balance = ?, pin_hash = ?, pin = NULL, approval_mode = ? "
                        + "WHERE msisdn = ?", w.balance(), w.pinHash(), w.approvalMode(), w.msisdn());
                return;
            }
            lockedWallets.put(w.msisdn(), w);
            walletUpdates.put(w.msisdn(), w);
        }

        @Override
        public List<SimAccount> lockAccounts(String msisdn, List<SimAccount> opening) {
            flush();
            for (SimAccount a : opening) {
                Jdbc.update(h, "INSERT INTO sim_account (msisdn, number, name, currency, balance) "
                                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (msisdn, number) DO NOTHING",
                        msisdn, a.number(), a.name(), a.currency(), a.balance());
            }
            return Jdbc.query(h, "SELECT * FROM sim_account WHERE msisdn = ? ORDER BY created_at, number "
                    + "LIMIT " + ACCOUNTS_MAX + " FOR UPDATE", JdbiSimulatorStore::account, msisdn);
        }

        @Override
        public void updateAccount(SimAccount a) {
            flush();
            Jdbc.update(h, "UPDATE sim_account SET balance = ? WHERE msisdn = ? AND number = ?", a.balance(),
                    a.msisdn(), a.number());
        }

        @Override
        public void finish(String reference, SimTransaction.Status status, String failureCode) {
            finished.remove(reference);
            finished.put(reference, new Finished(reference, status.name(), failureCode));
        }

        @Override
        public void countPinAttempt(String reference) {
            flush();
            Jdbc.update(h, "UPDATE sim_transaction SET pin_attempts = pin_attempts + 1 WHERE reference = ?", reference);
        }

        @Override
        public void sms(String msisdn, String sender, String text) {
            messages.add(new Message(msisdn, sender, text));
        }
    }
}
