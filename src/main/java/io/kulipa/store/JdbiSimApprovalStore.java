package io.kulipa.store;

import io.kulipa.providers.CustomerApprovals;
import io.kulipa.providers.simulator.SimApproval;
import io.kulipa.providers.simulator.SimApprovalStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** The handsets' approval requests and KYC profiles in PostgreSQL. */
public final class JdbiSimApprovalStore implements SimApprovalStore {

    private static final String COLUMNS = "reference, msisdn, kind, description, status, planned, due_at, "
            + "pin_attempts, valid_until, created_at, finished_at";
    private static final RowMapper<SimApproval> APPROVAL = JdbiSimApprovalStore::approval;
    private final Jdbi jdbi;

    public JdbiSimApprovalStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static SimApproval approval(ResultSet rs, StatementContext ctx) throws SQLException {
        return new SimApproval(rs.getString("reference"), rs.getString("msisdn"),
                CustomerApprovals.Kind.valueOf(rs.getString("kind")), rs.getString("description"),
                CustomerApprovals.Status.valueOf(rs.getString("status")), rs.getString("planned"),
                PaymentRows.instant(rs, "due_at"), rs.getInt("pin_attempts"), PaymentRows.instant(rs, "valid_until"),
                PaymentRows.instant(rs, "created_at"), PaymentRows.instant(rs, "finished_at"));
    }

    @Override
    public void insertIfAbsent(SimApproval a) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO sim_approval (reference, msisdn, kind, description, status, planned, due_at,
                            valid_until, created_at)
                        VALUES (:reference, :msisdn, :kind, :description, :status, :planned, :due, :validUntil,
                            :created)
                        ON CONFLICT (reference) DO NOTHING""")
                .bind("reference", a.reference()).bind("msisdn", a.msisdn()).bind("kind", a.kind().name())
                .bind("description", a.description()).bind("status", a.status().name())
                .bind("planned", a.planned()).bind("due", PaymentRows.ts(a.dueAt()))
                .bind("validUntil", PaymentRows.ts(a.validUntil())).bind("created", PaymentRows.ts(a.created()))
                .execute());
    }

    @Override
    public Optional<SimApproval> find(String reference) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM sim_approval WHERE reference = :r")
                .bind("r", reference).map(APPROVAL).findOne());
    }

    @Override
    public List<SimApproval> open(String msisdn, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM sim_approval "
                        + "WHERE msisdn = :m AND status = 'AWAITING_APPROVAL' ORDER BY created_at LIMIT :limit")
                .bind("m", msisdn).bind("limit", limit).map(APPROVAL).list());
    }

    @Override
    public Optional<CustomerApprovals.Profile> profile(String msisdn) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sim_kyc_profile WHERE msisdn = :m")
                .bind("m", msisdn)
                .map((rs, ctx) -> new CustomerApprovals.Profile(rs.getString("msisdn"), rs.getString("given_name"),
                        rs.getString("family_name"), rs.getString("gender"),
                        rs.getDate("birth_date").toLocalDate(), rs.getString("locale")))
                .findOne());
    }

    @Override
    public void saveProfile(CustomerApprovals.Profile p) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO sim_kyc_profile (msisdn, given_name, family_name, gender, birth_date, locale)
                        VALUES (:m, :g, :f, :gender, :b, :l)
                        ON CONFLICT (msisdn) DO UPDATE SET given_name = EXCLUDED.given_name,
                            family_name = EXCLUDED.family_name, gender = EXCLUDED.gender,
                            birth_date = EXCLUDED.birth_date, locale = EXCLUDED.locale, updated_at = now()""")
                .bind("m", p.msisdn()).bind("g", p.givenName()).bind("f", p.familyName())
                .bind("gender", p.gender()).bind("b", java.sql.Date.valueOf(p.birthDate())).bind("l", p.locale())
                .execute());
    }

    @Override
    public <R> R inTransaction(Function<Books, R> work) {
        return jdbi.inTransaction(h -> work.apply(new HandleBooks(h)));
    }

    private record HandleBooks(Handle h) implements Books {
        @Override
        public List<SimApproval> lockDue(int limit) {
            return h.createQuery("SELECT " + COLUMNS + " FROM sim_approval "
                            + "WHERE status = 'AWAITING_APPROVAL' AND due_at <= now() "
                            + "ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .bind("limit", limit).map(APPROVAL).list();
        }

        @Override
        public Optional<SimApproval> lock(String reference) {
            return h.createQuery("SELECT " + COLUMNS + " FROM sim_approval WHERE reference = :r FOR UPDATE")
                    .bind("r", reference).map(APPROVAL).findOne();
        }

        @Override
        public void finish(String reference, CustomerApprovals.Status status) {
            h.createUpdate("UPDATE sim_approval SET status = :s, finished_at = now() WHERE reference = :r")
                    .bind("s", status.name()).bind("r", reference).execute();
        }

        @Override
        public void countPinAttempt(String reference) {
            h.createUpdate("UPDATE sim_approval SET pin_attempts = pin_attempts + 1 WHERE reference = :r")
                    .bind("r", reference).execute();
        }
    }
}
