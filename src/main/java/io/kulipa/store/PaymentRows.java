package io.kulipa.store;

import io.kulipa.payments.FailureCode;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Row mappers between the payment tables and domain records. */
public final class PaymentRows {

    public static final String COLUMNS = columns("");

    /** The payment columns, each with the given table prefix ("p." in a join, "" alone). */
    public static String columns(String prefix) {
        return java.util.Arrays.stream(("id, merchant_id, kind, client_ref, dialect, state, amount, amount_text, currency, "
                        + "country, correspondent, msisdn, customer_timestamp, statement_description, pre_authorisation_code, "
                        + "metadata, fingerprint, callback_url, processed_amount, failure_code, failure_message, "
                        + "provider_ref, correspondent_ids, responded_at, created_at, updated_at, related_payment_id")
                        .split(", "))
                .map(c -> c.equals("metadata") || c.equals("correspondent_ids")
                        ? prefix + c + "::text AS " + c : prefix + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    public static final RowMapper<Payment> PAYMENT = PaymentRows::payment;
    public static final RowMapper<Job> JOB = PaymentRows::job;
    /** The columns {@link #JOB} reads, for RETURNING clauses. */
    public static final String JOB_COLUMNS = "id, kind, subject_kind, subject_id, payment_id, attempts, payload, "
            + "created_at";

    private PaymentRows() {
    }

    private static Payment payment(ResultSet rs, StatementContext ctx) throws SQLException {
        return payment(rs);
    }

    /** The payment of the current row (plain JDBC, {@link Jdbc}). */
    static Payment payment(ResultSet rs) throws SQLException {
        String failure = rs.getString("failure_code");
        return new Payment(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
                PaymentKind.valueOf(rs.getString("kind")), rs.getString("client_ref"), rs.getString("dialect"),
                PaymentState.valueOf(rs.getString("state")), rs.getBigDecimal("amount"), rs.getString("amount_text"),
                rs.getString("currency"), rs.getString("country"), rs.getString("correspondent"),
                rs.getString("msisdn"), rs.getString("customer_timestamp"), rs.getString("statement_description"),
                rs.getString("pre_authorisation_code"), Json.metadata(rs.getString("metadata")),
                rs.getString("fingerprint"), rs.getString("callback_url"), rs.getBigDecimal("processed_amount"),
                failure == null ? null : FailureCode.valueOf(failure), rs.getString("failure_message"),
                rs.getString("provider_ref"), Json.stringMap(rs.getString("correspondent_ids")),
                instant(rs, "responded_at"), instant(rs, "created_at"), instant(rs, "updated_at"),
                rs.getObject("related_payment_id", UUID.class));
    }

    private static Job job(ResultSet rs, StatementContext ctx) throws SQLException {
        return job(rs);
    }

    /** The job of the current row (plain JDBC, {@link Jdbc}). */
    static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getLong("id"), JobKind.valueOf(rs.getString("kind")), rs.getString("subject_kind"),
                rs.getString("subject_id"), rs.getObject("payment_id", UUID.class), rs.getInt("attempts"),
                rs.getString("payload"), instant(rs, "created_at"));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    public static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
