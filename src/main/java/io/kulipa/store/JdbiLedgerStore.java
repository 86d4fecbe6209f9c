package io.kulipa.store;

import io.kulipa.ledger.AccountKind;
import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.Balance;
import io.kulipa.ledger.LedgerOp;
import io.kulipa.ledger.LedgerStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The ledger's accounts and transfers in PostgreSQL. */
public final class JdbiLedgerStore implements LedgerStore {

    private static final String COLUMNS = "code, kind, currency, merchant_id, country, debits_pending, debits_posted, "
            + "credits_pending, credits_posted";

    private final Jdbi jdbi;
    private final LedgerSql ledgerSql = new LedgerSql();

    public JdbiLedgerStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static Balance balance(ResultSet rs) throws SQLException {
        AccountRef ref = new AccountRef(rs.getString("code"), AccountKind.valueOf(rs.getString("kind")),
                rs.getString("currency"), rs.getObject("merchant_id", UUID.class), rs.getString("country"));
        return new Balance(ref, rs.getBigDecimal("debits_pending"), rs.getBigDecimal("debits_posted"),
                rs.getBigDecimal("credits_pending"), rs.getBigDecimal("credits_posted"));
    }

    @Override
    public Optional<Balance> balance(String accountCode) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM ledger_account WHERE code = :c")
                .bind("c", accountCode).map((rs, ctx) -> balance(rs)).findOne());
    }

    @Override
    public List<Balance> merchantWallets(UUID merchantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM ledger_account "
                        + "WHERE merchant_id = :m AND kind = 'MERCHANT_WALLET' ORDER BY country, currency")
                .bind("m", merchantId).map((rs, ctx) -> balance(rs)).list());
    }

    @Override
    public Optional<UUID> openReservation(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT t.id FROM ledger_transfer t WHERE t.payment_id = :p AND t.kind = 'PENDING'
                        AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = t.id)""")
                .bind("p", paymentId).mapTo(UUID.class).findOne());
    }

    @Override
    public void apply(UUID paymentId, List<LedgerOp> ops) {
        jdbi.useTransaction(h -> ops.forEach(op -> ledgerSql.apply(h, paymentId, op)));
    }

    @Override
    public List<String> verify() {
        return jdbi.withHandle(h -> {
            List<String> broken = new ArrayList<>();
            h.createQuery("""
                            SELECT currency, sum(debits_posted) - sum(credits_posted) AS posted,
                                   sum(debits_pending) - sum(credits_pending) AS pending
                            FROM ledger_account GROUP BY currency
                            HAVING sum(debits_posted) <> sum(credits_posted) OR sum(debits_pending) <> sum(credits_pending)""")
                    .mapToMap().forEach(r -> broken.add("currency " + r.get("currency") + " does not sum to zero: " + r));
            h.createQuery("""
                            SELECT code FROM ledger_account
                            WHERE no_overdraft AND debits_pending + debits_posted > credits_posted""")
                    .mapTo(String.class).forEach(c -> broken.add("account " + c + " is overdrawn"));
            // The running totals must equal what the transfers say.
            h.createQuery("""
                            WITH moves AS (
                              SELECT debit_account AS code,
                                CASE WHEN kind IN ('POSTED', 'POST_PENDING') THEN amount ELSE 0 END AS dpost,
                                CASE WHEN kind = 'PENDING' THEN amount WHEN kind IN ('POST_PENDING', 'VOID_PENDING')
                                     THEN -amount ELSE 0 END AS dpend, 0 AS cpost, 0 AS cpend
                              FROM ledger_transfer
                              UNION ALL
                              SELECT credit_account, 0, 0,
                                CASE WHEN kind IN ('POSTED', 'POST_PENDING') THEN amount ELSE 0 END,
                                CASE WHEN kind = 'PENDING' THEN amount WHEN kind IN ('POST_PENDING', 'VOID_PENDING')
                                     THEN -amount ELSE 0 END
                              FROM ledger_transfer)
                            SELECT a.code FROM ledger_account a
                            LEFT JOIN (SELECT code, sum(dpost) dpost, sum(dpend) dpend, sum(cpost) cpost, sum(cpend) cpend
                                       FROM moves GROUP BY code) m ON m.code = a.code
                            WHERE coalesce(m.dpost, 0) <> a.debits_posted OR coalesce(m.dpend, 0) <> a.debits_pending
                               OR coalesce(m.cpost, 0) <> a.credits_posted OR coalesce(m.cpend, 0) <> a.credits_pending""")
                    .mapTo(String.class).forEach(c -> broken.add("account " + c + " totals differ from its transfers"));
            h.createQuery("""
                            SELECT t.id FROM ledger_transfer t JOIN ledger_transfer p ON p.id = t.pending_id
                            WHERE p.amount <> t.amount OR p.debit_account <> t.debit_account
                               OR p.credit_account <> t.credit_account OR p.kind <> 'PENDING'""")
                    .mapTo(String.class).forEach(id -> broken.add("transfer " + id + " does not match its reservation"));
            return broken;
        });
    }
}
