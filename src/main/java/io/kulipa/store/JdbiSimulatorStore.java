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

    private final Jdbi jdbi;

    public JdbiSimulatorStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static SimTransaction transaction(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws SQLException {
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
        return jdbi.withHandle(h -> insertIfAbsent(h, t));
    }

    @Override
    public List<String> insertAllIfAbsent(List<SimTransaction> transactions) {
        // In reference order, so that two batches repeating the same submits never wait on each other in a circle.
        return Retrying.onConflict(() -> jdbi.inTransaction(h -> {
            String[] refs = new String[transactions.size()];
            java.util.stream.IntStream.range(0, transactions.size()).boxed()
                    .sorted(java.util.Comparator.comparing(i -> transactions.get(i).reference()))
                    .forEach(i -> refs[i] = insertIfAbsent(h, transactions.get(i)));
            return List.of(refs);
        }));
    }

    private static String insertIfAbsent(org.jdbi.v3.core.Handle h, SimTransaction t) {
        return h.createQuery("""
                        INSERT INTO sim_transaction (reference, provider_ref, operation, correspondent, msisdn, amount,
                            currency, description, status, planned, due_at, send_callback, created_at)
                        VALUES (:reference, :providerRef, :operation, :correspondent, :msisdn, :amount, :currency,
                            :description, :status, :planned, :due, :sendCallback, :created)
                        ON CONFLICT (reference) DO UPDATE SET reference = EXCLUDED.reference
                        RETURNING provider_ref""")
                .bind("reference", t.reference()).bind("providerRef", t.providerRef())
                .bind("operation", t.operation()).bind("correspondent", t.correspondent())
                .bind("msisdn", t.msisdn()).bind("amount", t.amount()).bind("currency", t.currency())
                .bind("description", t.description()).bind("status", t.status().name())
                .bind("planned", t.planned()).bind("due", PaymentRows.ts(t.dueAt()))
                .bind("sendCallback", t.sendCallback()).bind("created", PaymentRows.ts(t.created()))
                .mapTo(String.class).one();
    }

    @Override
    public Optional<SimTransaction> find(String reference) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TX_COLUMNS + " FROM sim_transaction WHERE reference = :r")
                .bind("r", reference).map(TX).findOne());
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
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sim_wallet WHERE msisdn = :m")
                .bind("m", msisdn).map(WALLET).findOne().map(row -> hashed(h, row)));
    }

    /**
     * A wallet with its clear PIN (a row of before V14) replaced by the hash, in the table too:
     * the first read of such a row converts it. The update is conditional on the clear PIN, so
     * that a PIN the customer changed meanwhile is not overwritten.
     */
    private static SimWallet hashed(Handle h, WalletRow row) {
        if (row.clearPin() == null) {
            return row.wallet();
        }
        String hash = SimPin.hash(row.clearPin());
        h.createUpdate("UPDATE sim_wallet SET pin_hash = :h, pin = NULL WHERE msisdn = :m AND pin = :clear")
                .bind("h", hash).bind("m", row.wallet().msisdn()).bind("clear", row.clearPin()).execute();
        SimWallet w = row.wallet();
        return new SimWallet(w.msisdn(), w.currency(), w.balance(), hash, w.approvalMode());
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
            chosen.forEach(row -> hashed(h, row));
            return opening + chosen.size();
        });
    }

    /** A customer holds a handful of accounts; this bounds what one look-up returns. */
    private static final int ACCOUNTS_MAX = 20;
    private static final RowMapper<SimAccount> ACCOUNT = (rs, ctx) -> new SimAccount(rs.getString("msisdn"),
            rs.getString("number"), rs.getString("name"), rs.getString("currency"), rs.getBigDecimal("balance"));

    @Override
    public List<SimAccount> accounts(String msisdn) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sim_account WHERE msisdn = :m "
                        + "ORDER BY created_at, number LIMIT " + ACCOUNTS_MAX)
                .bind("m", msisdn).map(ACCOUNT).list());
    }

    @Override
    public <R> R inTransaction(Function<Books, R> work) {
        return jdbi.inTransaction(h -> work.apply(new HandleBooks(h)));
    }

    private record HandleBooks(Handle h) implements Books {

        @Override
        public List<SimTransaction> lockDue(int limit) {
            return h.createQuery("SELECT " + TX_COLUMNS + " FROM sim_transaction "
                            + "WHERE status IN ('PROCESSING', 'AWAITING_APPROVAL') AND due_at <= now() "
                            + "ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .bind("limit", limit).map(TX).list();
        }

        @Override
        public Optional<SimTransaction> lock(String reference) {
            return h.createQuery("SELECT " + TX_COLUMNS + " FROM sim_transaction WHERE reference = :r FOR UPDATE")
                    .bind("r", reference).map(TX).findOne();
        }

        @Override
        public SimWallet lockWallet(String msisdn, String currency, BigDecimal openingBalance) {
            // An upsert that changes nothing still locks the row, in one round trip. A new wallet
            // has no pin_hash: it keeps the operator's opening PIN until the customer sets one.
            return hashed(h, h.createQuery("INSERT INTO sim_wallet (msisdn, currency, balance) VALUES (:m, :c, :b) "
                            + "ON CONFLICT (msisdn) DO UPDATE SET msisdn = EXCLUDED.msisdn RETURNING *")
                    .bind("m", msisdn).bind("c", currency).bind("b", openingBalance).map(WALLET).one());
        }

        @Override
        public void updateWallet(SimWallet w) {
            h.createUpdate("UPDATE sim_wallet SET balance = :b, pin_hash = :p, pin = NULL, approval_mode = :a "
                            + "WHERE msisdn = :m")
                    .bind("b", w.balance()).bind("p", w.pinHash()).bind("a", w.approvalMode()).bind("m", w.msisdn())
                    .execute();
        }

        @Override
        public List<SimAccount> lockAccounts(String msisdn, List<SimAccount> opening) {
            for (SimAccount a : opening) {
                h.createUpdate("INSERT INTO sim_account (msisdn, number, name, currency, balance) "
                                + "VALUES (:m, :n, :name, :c, :b) ON CONFLICT (msisdn, number) DO NOTHING")
                        .bind("m", msisdn).bind("n", a.number()).bind("name", a.name()).bind("c", a.currency())
                        .bind("b", a.balance()).execute();
            }
            return h.createQuery("SELECT * FROM sim_account WHERE msisdn = :m ORDER BY created_at, number "
                            + "LIMIT " + ACCOUNTS_MAX + " FOR UPDATE")
                    .bind("m", msisdn).map(ACCOUNT).list();
        }

        @Override
        public void updateAccount(SimAccount a) {
            h.createUpdate("UPDATE sim_account SET balance = :b WHERE msisdn = :m AND number = :n")
                    .bind("b", a.balance()).bind("m", a.msisdn()).bind("n", a.number()).execute();
        }

        @Override
        public void finish(String reference, SimTransaction.Status status, String failureCode) {
            h.createUpdate("UPDATE sim_transaction SET status = :s, failure_code = :f, "
                            + "finished_at = CASE WHEN :s IN ('COMPLETED', 'FAILED') THEN now() END "
                            + "WHERE reference = :r")
                    .bind("s", status.name()).bind("f", failureCode).bind("r", reference).execute();
        }

        @Override
        public void countPinAttempt(String reference) {
            h.createUpdate("UPDATE sim_transaction SET pin_attempts = pin_attempts + 1 WHERE reference = :r")
                    .bind("r", reference).execute();
        }

        @Override
        public void sms(String msisdn, String sender, String text) {
            h.createUpdate("INSERT INTO sim_sms (msisdn, sender, text) VALUES (:m, :s, :t)")
                    .bind("m", msisdn).bind("s", sender).bind("t", text).execute();
        }
    }
}
