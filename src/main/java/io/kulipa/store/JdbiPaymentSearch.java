package io.kulipa.store;

import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentSearch;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** The ops dashboard's reads in PostgreSQL: payments newest first (index V36), history, transfers, merchants. */
public final class JdbiPaymentSearch implements PaymentSearch {

    /** The most rows one call answers, whatever the caller asks. */
    public static final int MAX_ROWS = 500;

    private final Jdbi jdbi;

    public JdbiPaymentSearch(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<Payment> search(Filter f, int limit) {
        List<String> where = new ArrayList<>();
        if (f.merchantId() != null) {
            where.add("merchant_id = :merchant");
        }
        if (f.dialect() != null) {
            where.add("dialect = :dialect");
        }
        if (f.kind() != null) {
            where.add("kind = :kind");
        }
        if (f.state() != null) {
            where.add("state = :state");
        }
        UUID uuid = uuid(f.id());
        if (f.id() != null) {
            where.add(uuid != null ? "(id = :uuid OR client_ref IN (:id, :raw) OR provider_ref = :raw)"
                    : "(client_ref IN (:id, :raw) OR provider_ref = :raw)");
        }
        if (f.from() != null) {
            where.add("created_at >= :from");
        }
        if (f.to() != null) {
            where.add("created_at < :to");
        }
        if (f.before() != null) {
            where.add("created_at < :before");
        }
        String sql = "SELECT " + PaymentRows.COLUMNS + " FROM payment"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY created_at DESC, id LIMIT :limit";
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql).bind("limit", Math.max(1, Math.min(limit, MAX_ROWS)));
            if (f.merchantId() != null) {
                q.bind("merchant", f.merchantId());
            }
            if (f.dialect() != null) {
                q.bind("dialect", f.dialect());
            }
            if (f.kind() != null) {
                q.bind("kind", f.kind().name());
            }
            if (f.state() != null) {
                q.bind("state", f.state().name());
            }
            if (f.id() != null) {
                q.bind("id", f.id().toLowerCase(java.util.Locale.ROOT)).bind("raw", f.id());
                if (uuid != null) {
                    q.bind("uuid", uuid);
                }
            }
            if (f.from() != null) {
                q.bind("from", PaymentRows.ts(f.from()));
            }
            if (f.to() != null) {
                q.bind("to", PaymentRows.ts(f.to()));
            }
            if (f.before() != null) {
                q.bind("before", PaymentRows.ts(f.before()));
            }
            return q.map(PaymentRows.PAYMENT).list();
        });
    }

    private static UUID uuid(String text) {
        if (text == null) {
            return null;
        }
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public List<Event> events(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT at, from_state, to_state, event, detail FROM payment_event
                        WHERE payment_id = :p ORDER BY id LIMIT :limit""")
                .bind("p", paymentId).bind("limit", MAX_ROWS)
                .map((rs, ctx) -> new Event(PaymentRows.instant(rs, "at"), rs.getString("from_state"),
                        rs.getString("to_state"), rs.getString("event"), rs.getString("detail"))).list());
    }

    @Override
    public List<Transfer> transfers(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, kind, debit_account, credit_account, amount, currency, pending_id, created_at
                        FROM ledger_transfer WHERE payment_id = :p ORDER BY created_at, id LIMIT :limit""")
                .bind("p", paymentId).bind("limit", MAX_ROWS)
                .map((rs, ctx) -> new Transfer(rs.getObject("id", UUID.class), rs.getString("kind"),
                        rs.getString("debit_account"), rs.getString("credit_account"), rs.getBigDecimal("amount"),
                        rs.getString("currency").trim(), rs.getObject("pending_id", UUID.class),
                        PaymentRows.instant(rs, "created_at"))).list());
    }

    @Override
    public List<MerchantEntry> merchants(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + JdbiMerchantStore.COLUMNS + ", created_at "
                        + "FROM merchant ORDER BY name LIMIT :limit")
                .bind("limit", Math.max(1, Math.min(limit, MAX_ROWS)))
                .map((rs, ctx) -> new MerchantEntry(JdbiMerchantStore.merchant(rs), PaymentRows.instant(rs, "created_at")))
                .list());
    }
}
