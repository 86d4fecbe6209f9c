package io.kulipa.dialects.momo.store;

import io.kulipa.store.CallbackOutbox;
import io.kulipa.store.PaymentRows;

import io.kulipa.payments.PaymentState;
import io.kulipa.dialects.momo.invoices.Invoice;
import io.kulipa.dialects.momo.invoices.InvoiceStatus;
import io.kulipa.dialects.momo.invoices.InvoiceStore;
import io.kulipa.dialects.momo.invoices.PayingInvoice;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** MoMo invoices and their append-only history in PostgreSQL; their callbacks go to the outbox. */
public final class JdbiInvoiceStore implements InvoiceStore {

    private static final String COLUMNS = """
            id, merchant_id, reference_id, api_user_id, environment, correspondent, external_id, amount,
            amount_text, currency, payer_msisdn, payee_id_type, payee_id, description, payment_reference, status,
            failure_code, expires_at, callback_url, payment_attempts, deposit_ref, cancel_reference_id,
            created_at, updated_at""";

    private final Jdbi jdbi;
    private final CallbackOutbox callbacks;

    /** @param callbacks where an invoice's callback is added, in the transaction that makes it due */
    public JdbiInvoiceStore(Jdbi jdbi, CallbackOutbox callbacks) {
        this.jdbi = jdbi;
        this.callbacks = callbacks;
    }

    @Override
    public Inserted insert(Invoice i) {
        return jdbi.inTransaction(h -> {
            int rows = h.createUpdate("""
                            INSERT INTO momo_invoice (id, merchant_id, reference_id, api_user_id, environment,
                                correspondent, external_id, amount, amount_text, currency, payer_msisdn, payee_id_type,
                                payee_id, description, payment_reference, status, expires_at, callback_url,
                                created_at, updated_at)
                            VALUES (:id, :m, :ref, :user, :env, :corr, :ext, :amount, :amountText, :currency, :payer,
                                :payeeType, :payee, :description, :paymentRef, :status, :expires, :callback,
                                :created, :created)
                            ON CONFLICT DO NOTHING""")
                    .bind("id", i.id()).bind("m", i.merchantId()).bind("ref", i.referenceId())
                    .bind("user", i.apiUserId()).bind("env", i.environment()).bind("corr", i.correspondent())
                    .bind("ext", i.externalId()).bind("amount", i.amount()).bind("amountText", i.amountText())
                    .bind("currency", i.currency()).bind("payer", i.payerMsisdn())
                    .bind("payeeType", i.payee().idType()).bind("payee", i.payee().id())
                    .bind("description", i.description()).bind("paymentRef", i.paymentReference())
                    .bind("status", i.status().name()).bind("expires", ts(i.expiresAt()))
                    .bind("callback", i.callbackUrl()).bind("created", ts(i.created())).execute();
            if (rows == 0) {
                boolean known = h.createQuery("""
                                SELECT EXISTS (SELECT 1 FROM momo_invoice WHERE merchant_id = :m AND reference_id = :r)""")
                        .bind("m", i.merchantId()).bind("r", i.referenceId()).mapTo(Boolean.class).one();
                return known ? Inserted.DUPLICATE_REFERENCE : Inserted.DUPLICATE_PAYMENT_REFERENCE;
            }
            event(h, i.id(), null, i.status(), "created", "expires " + i.expiresAt());
            return Inserted.CREATED;
        });
    }

    @Override
    public Optional<Invoice> get(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM momo_invoice WHERE id = :id")
                .bind("id", id).map(JdbiInvoiceStore::row).findOne());
    }

    @Override
    public Optional<Invoice> byReference(UUID merchantId, UUID referenceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM momo_invoice WHERE merchant_id = :m AND reference_id = :r")
                .bind("m", merchantId).bind("r", referenceId).map(JdbiInvoiceStore::row).findOne());
    }

    @Override
    public List<Invoice> openFor(String payerMsisdn, int max) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM momo_invoice WHERE payer_msisdn = :p AND status IN ('PENDING', 'PAYING')
                        ORDER BY created_at DESC LIMIT :max""")
                .bind("p", payerMsisdn).bind("max", max).map(JdbiInvoiceStore::row).list());
    }

    @Override
    public Optional<Invoice> claimForPayment(UUID id, Instant now) {
        InvoiceStatus.TABLE.requireAllowed(InvoiceStatus.PENDING, InvoiceStatus.PAYING);
        return jdbi.inTransaction(h -> {
            Optional<Invoice> claimed = h.createQuery("UPDATE momo_invoice SET status = 'PAYING', "
                            + "payment_attempts = payment_attempts + 1, "
                            + "deposit_ref = 'invoice:' || id || ':' || (payment_attempts + 1), updated_at = :now "
                            + "WHERE id = :id AND status = 'PENDING' AND expires_at > :now RETURNING " + COLUMNS)
                    .bind("id", id).bind("now", ts(now)).map(JdbiInvoiceStore::row).findOne();
            claimed.ifPresent(i -> event(h, id, InvoiceStatus.PENDING, InvoiceStatus.PAYING, "payment started",
                    i.depositRef()));
            return claimed;
        });
    }

    @Override
    public Optional<Invoice> move(UUID id, InvoiceStatus from, InvoiceStatus to, String failureCode,
                                  boolean callbackDue, String event, Instant now) {
        InvoiceStatus.TABLE.requireAllowed(from, to);
        return jdbi.inTransaction(h -> {
            Optional<Invoice> moved = h.createQuery("UPDATE momo_invoice SET status = :to, failure_code = :code, "
                            + "callback_state = CASE WHEN :due AND callback_url IS NOT NULL THEN 'DUE' "
                            + "ELSE callback_state END, updated_at = :now "
                            + "WHERE id = :id AND status = :from RETURNING " + COLUMNS)
                    .bind("id", id).bind("from", from.name()).bind("to", to.name()).bind("code", failureCode)
                    .bind("due", callbackDue).bind("now", ts(now)).map(JdbiInvoiceStore::row).findOne();
            moved.ifPresent(i -> event(h, id, from, to, event, failureCode));
            moved.ifPresent(i -> handDueCallbackToOutbox(h, id));
            return moved;
        });
    }

    @Override
    public Cancelled cancel(UUID id, UUID cancelReferenceId, String callbackUrl, Instant now) {
        InvoiceStatus.TABLE.requireAllowed(InvoiceStatus.PENDING, InvoiceStatus.CANCELLED);
        try {
            return jdbi.inTransaction(h -> {
                int rows = h.createUpdate("""
                                UPDATE momo_invoice SET status = 'CANCELLED', cancel_reference_id = :cancel,
                                    callback_url = COALESCE(:callback, callback_url),
                                    callback_state = CASE WHEN COALESCE(:callback, callback_url) IS NOT NULL
                                        THEN 'DUE' ELSE callback_state END,
                                    updated_at = :now
                                WHERE id = :id AND status = 'PENDING'""")
                        .bind("id", id).bind("cancel", cancelReferenceId).bind("callback", callbackUrl)
                        .bind("now", ts(now)).execute();
                if (rows == 0) {
                    return Cancelled.NOT_PENDING;
                }
                event(h, id, InvoiceStatus.PENDING, InvoiceStatus.CANCELLED, "cancelled", cancelReferenceId.toString());
                handDueCallbackToOutbox(h, id);
                return Cancelled.CANCELLED;
            });
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                // Two cancels with the same reference raced; the other one won.
                return Cancelled.DUPLICATE_REFERENCE;
            }
            throw e;
        }
    }

    @Override
    public boolean cancelReferenceUsed(UUID merchantId, UUID cancelReferenceId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM momo_invoice WHERE merchant_id = :m AND cancel_reference_id = :c)""")
                .bind("m", merchantId).bind("c", cancelReferenceId).mapTo(Boolean.class).one());
    }

    @Override
    public List<FinishedDeposit> finishedDeposits(int max) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT i.id, p.state, p.failure_code FROM momo_invoice i
                        JOIN payment p ON p.merchant_id = i.merchant_id AND p.dialect = :dialect
                            AND p.kind = 'DEPOSIT' AND p.client_ref = i.deposit_ref
                        WHERE i.status = 'PAYING' AND p.state IN ('COMPLETED', 'FAILED')
                        ORDER BY i.updated_at LIMIT :max""")
                .bind("dialect", PayingInvoice.DIALECT).bind("max", max)
                .map((rs, ctx) -> new FinishedDeposit(rs.getObject("id", UUID.class),
                        PaymentState.valueOf(rs.getString("state")), rs.getString("failure_code")))
                .list());
    }

    @Override
    public List<UUID> orphanedPayments(Instant before, int max) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT i.id FROM momo_invoice i
                        WHERE i.status = 'PAYING' AND i.updated_at < :before AND NOT EXISTS (
                            SELECT 1 FROM payment p WHERE p.merchant_id = i.merchant_id AND p.dialect = :dialect
                                AND p.kind = 'DEPOSIT' AND p.client_ref = i.deposit_ref)
                        ORDER BY i.updated_at LIMIT :max""")
                .bind("before", ts(before)).bind("dialect", PayingInvoice.DIALECT).bind("max", max).mapTo(UUID.class).list());
    }

    @Override
    public List<UUID> expired(Instant now, int max) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM momo_invoice WHERE status = 'PENDING' AND expires_at <= :now
                        ORDER BY expires_at LIMIT :max""")
                .bind("now", ts(now)).bind("max", max).mapTo(UUID.class).list());
    }

    /**
     * A callback the change just made due (DUE) goes to the outbox in the change's transaction;
     * SENT now means handed to the outbox, which delivers it once (MoMo sends once).
     */
    private void handDueCallbackToOutbox(Handle h, UUID id) {
        int due = h.createUpdate("""
                        UPDATE momo_invoice SET callback_state = 'SENT' WHERE id = :id AND callback_state = 'DUE'""")
                .bind("id", id).execute();
        if (due == 1) {
            callbacks.add(h, Invoice.CALLBACK_SUBJECT, id.toString());
        }
    }

    private static void event(Handle h, UUID id, InvoiceStatus from, InvoiceStatus to, String event, String detail) {
        h.createUpdate("""
                        INSERT INTO momo_invoice_event (invoice_id, from_status, to_status, event, detail)
                        VALUES (:i, :from, :to, :event, :detail)""")
                .bind("i", id).bind("from", from == null ? null : from.name()).bind("to", to.name())
                .bind("event", event).bind("detail", detail).execute();
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static Timestamp ts(Instant instant) {
        return PaymentRows.ts(instant);
    }

    private static Invoice row(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Invoice(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
                rs.getObject("reference_id", UUID.class), rs.getObject("api_user_id", UUID.class),
                rs.getString("environment"), rs.getString("correspondent"), rs.getString("external_id"),
                rs.getBigDecimal("amount"), rs.getString("amount_text"), rs.getString("currency"),
                rs.getString("payer_msisdn"), new Invoice.Party(rs.getString("payee_id_type"), rs.getString("payee_id")),
                rs.getString("description"), rs.getString("payment_reference"),
                InvoiceStatus.valueOf(rs.getString("status")), rs.getString("failure_code"),
                rs.getTimestamp("expires_at").toInstant(), rs.getString("callback_url"),
                rs.getInt("payment_attempts"), rs.getString("deposit_ref"),
                rs.getObject("cancel_reference_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
