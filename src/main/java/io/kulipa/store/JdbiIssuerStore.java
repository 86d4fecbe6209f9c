package io.kulipa.store;

import io.kulipa.providers.simulator.IssuerStore;
import io.kulipa.providers.simulator.SimCardAccount;
import io.kulipa.providers.simulator.SimCardAuthorisation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** The simulated issuers' books in PostgreSQL (V33), so that the sandbox's banks survive restarts. */
public final class JdbiIssuerStore implements IssuerStore {

    private static final String ACCOUNT = "lookup_hash, bank, bin, last4, expiry, currency, balance, credit_limit, "
            + "pin_hash, wrong_pins, locked, forced_code";
    private static final String AUTH = "reference, provider_ref, operation, lookup_hash, last4, msisdn, amount, currency, "
            + "description, status, planned, response_code, failure_code, due_at, created_at, finished_at";
    private final Jdbi jdbi;

    public JdbiIssuerStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static SimCardAccount account(ResultSet rs, StatementContext ctx) throws SQLException {
        return new SimCardAccount(rs.getString("lookup_hash"), rs.getString("bank"), rs.getString("bin"),
                rs.getString("last4"), YearMonth.parse(rs.getString("expiry")), rs.getString("currency"),
                rs.getBigDecimal("balance").stripTrailingZeros(), rs.getBigDecimal("credit_limit").stripTrailingZeros(),
                rs.getString("pin_hash"), rs.getInt("wrong_pins"), rs.getBoolean("locked"), rs.getString("forced_code"));
    }

    private static SimCardAuthorisation authorisation(ResultSet rs, StatementContext ctx) throws SQLException {
        return new SimCardAuthorisation(rs.getString("reference"), rs.getString("provider_ref"), rs.getString("operation"),
                rs.getString("lookup_hash"), rs.getString("last4"), rs.getString("msisdn"),
                rs.getBigDecimal("amount").stripTrailingZeros(), rs.getString("currency"), rs.getString("description"),
                SimCardAuthorisation.Status.valueOf(rs.getString("status")), rs.getString("planned"),
                rs.getString("response_code"), rs.getString("failure_code"), PaymentRows.instant(rs, "due_at"),
                PaymentRows.instant(rs, "created_at"), PaymentRows.instant(rs, "finished_at"));
    }

    @Override
    public boolean openIfAbsent(SimCardAccount a) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO sim_card_account (lookup_hash, bank, bin, last4, expiry, currency, balance, credit_limit,
                            pin_hash, forced_code)
                        VALUES (:hash, :bank, :bin, :last4, :expiry, :currency, :balance, :limit, :pin, :forced)
                        ON CONFLICT (lookup_hash) DO NOTHING""")
                .bind("hash", a.lookupHash()).bind("bank", a.bank()).bind("bin", a.bin()).bind("last4", a.last4())
                .bind("expiry", a.expiry().toString()).bind("currency", a.currency()).bind("balance", a.balance())
                .bind("limit", a.creditLimit()).bind("pin", a.pinHash()).bind("forced", a.forcedCode())
                .execute()) == 1;
    }

    @Override
    public Optional<SimCardAccount> account(String lookupHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ACCOUNT + " FROM sim_card_account WHERE lookup_hash = :h")
                .bind("h", lookupHash).map(JdbiIssuerStore::account).findOne());
    }

    @Override
    public String insertIfAbsent(SimCardAuthorisation a) {
        return jdbi.withHandle(h -> {
            h.createUpdate("""
                            INSERT INTO sim_card_authorisation (reference, provider_ref, operation, lookup_hash, last4, msisdn,
                                amount, currency, description, status, planned, due_at, created_at)
                            VALUES (:reference, :providerRef, :operation, :hash, :last4, :msisdn, :amount, :currency,
                                :description, :status, :planned, :due, :created)
                            ON CONFLICT (reference) DO NOTHING""")
                    .bind("reference", a.reference()).bind("providerRef", a.providerRef())
                    .bind("operation", a.operation()).bind("hash", a.lookupHash()).bind("last4", a.last4())
                    .bind("msisdn", a.msisdn()).bind("amount", a.amount()).bind("currency", a.currency())
                    .bind("description", a.description()).bind("status", a.status().name())
                    .bind("planned", a.planned()).bind("due", PaymentRows.ts(a.dueAt()))
                    .bind("created", PaymentRows.ts(a.created())).execute();
            return h.createQuery("SELECT provider_ref FROM sim_card_authorisation WHERE reference = :r")
                    .bind("r", a.reference()).mapTo(String.class).one();
        });
    }

    @Override
    public Optional<SimCardAuthorisation> find(String reference) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + AUTH + " FROM sim_card_authorisation WHERE reference = :r")
                .bind("r", reference).map(JdbiIssuerStore::authorisation).findOne());
    }

    @Override
    public List<SimCardAuthorisation> awaiting(String msisdn, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + AUTH + " FROM sim_card_authorisation WHERE msisdn = :m "
                        + "AND status = 'AWAITING_PIN' AND operation = 'DEPOSIT' AND planned IN ('APPROVE', 'EXPIRE') "
                        + "ORDER BY created_at DESC LIMIT :n")
                .bind("m", msisdn).bind("n", limit).map(JdbiIssuerStore::authorisation).list());
    }

    @Override
    public void addVerification(String id, String lookupHash, String method, String responseCode,
                                java.time.Instant at) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sim_card_verification (id, lookup_hash, method, response_code, "
                        + "created_at) VALUES (:id, :h, :m, :c, :at)")
                .bind("id", id).bind("h", lookupHash).bind("m", method).bind("c", responseCode)
                .bind("at", PaymentRows.ts(at)).execute());
    }

    @Override
    public Optional<String> verification(String id, String lookupHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT response_code FROM sim_card_verification WHERE id = :id "
                        + "AND lookup_hash = :h").bind("id", id).bind("h", lookupHash).mapTo(String.class).findOne());
    }

    @Override
    public void markCallbackLost(String reference) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sim_card_authorisation SET callback_lost = true WHERE reference = :r")
                .bind("r", reference).execute());
    }

    @Override
    public int checkNowWhereCallbacksDied() {
        return JdbiSimulatorStore.checkNowWhereCallbacksDied(jdbi, "sim_card_authorisation",
                "s.status <> 'AWAITING_PIN' AND NOT s.callback_lost");
    }

    @Override
    public <R> R inTransaction(Function<Books, R> work) {
        return jdbi.inTransaction(h -> work.apply(new JdbiBooks(h)));
    }

    private record JdbiBooks(Handle h) implements Books {
        @Override
        public List<SimCardAuthorisation> lockDue(int limit) {
            return h.createQuery("SELECT " + AUTH + " FROM sim_card_authorisation WHERE status = 'AWAITING_PIN' "
                            + "AND due_at <= now() ORDER BY due_at LIMIT :n FOR UPDATE SKIP LOCKED")
                    .bind("n", limit).map(JdbiIssuerStore::authorisation).list();
        }

        @Override
        public Optional<SimCardAuthorisation> lock(String reference) {
            return h.createQuery("SELECT " + AUTH + " FROM sim_card_authorisation WHERE reference = :r FOR UPDATE")
                    .bind("r", reference).map(JdbiIssuerStore::authorisation).findOne();
        }

        @Override
        public Optional<SimCardAccount> lockAccount(String lookupHash) {
            return h.createQuery("SELECT " + ACCOUNT + " FROM sim_card_account WHERE lookup_hash = :h FOR UPDATE")
                    .bind("h", lookupHash).map(JdbiIssuerStore::account).findOne();
        }

        @Override
        public void updateAccount(SimCardAccount a) {
            h.createUpdate("UPDATE sim_card_account SET balance = :b, wrong_pins = :w, locked = :l WHERE lookup_hash = :h")
                    .bind("b", a.balance()).bind("w", a.wrongPins()).bind("l", a.locked()).bind("h", a.lookupHash())
                    .execute();
        }

        @Override
        public void finish(String reference, SimCardAuthorisation.Status status, String responseCode, String failureCode) {
            h.createUpdate("UPDATE sim_card_authorisation SET status = :s, response_code = :c, failure_code = :f, "
                            + "finished_at = now() WHERE reference = :r")
                    .bind("s", status.name()).bind("c", responseCode).bind("f", failureCode).bind("r", reference)
                    .execute();
        }
    }
}
