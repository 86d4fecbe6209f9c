package io.kulipa.store;

import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.InsufficientFunds;
import io.kulipa.ledger.LedgerOp;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Applies ledger ops inside the caller's transaction. Debits of accounts that must not be
 * overdrawn are conditional updates, so a shortfall is found without aborting the
 * transaction; the table's CHECK constraint is the last line of defence.
 */
final class LedgerSql {

    /** Accounts of this database known to exist; they are never deleted, so this only saves round trips. */
    private final java.util.Set<String> knownAccounts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int KNOWN_ACCOUNTS_MAX = 100_000;

    void ensureAccount(Handle h, AccountRef a) {
        if (knownAccounts.contains(a.code())) {
            return;
        }
        h.createUpdate("""
                        INSERT INTO ledger_account (code, kind, currency, merchant_id, country, no_overdraft)
                        VALUES (:code, :kind, :currency, :merchant, :country, :noOverdraft)
                        ON CONFLICT (code) DO NOTHING""")
                .bind("code", a.code()).bind("kind", a.kind().name()).bind("currency", a.currency())
                .bind("merchant", a.merchantId()).bind("country", a.country())
                .bind("noOverdraft", a.kind().noOverdraft()).execute();
        // Remembered only after the transaction that may have created it commits.
        h.afterCommit(() -> {
            if (knownAccounts.size() >= KNOWN_ACCOUNTS_MAX) {
                knownAccounts.clear();
            }
            knownAccounts.add(a.code());
        });
    }

    void apply(Handle h, UUID paymentId, LedgerOp op) {
        switch (op) {
            case LedgerOp.Post p -> move(h, paymentId, p.transferId(), "POSTED", p.debit(), p.credit(), p.amount());
            case LedgerOp.Reserve r -> move(h, paymentId, r.transferId(), "PENDING", r.debit(), r.credit(), r.amount());
            case LedgerOp.PostPending p -> resolve(h, paymentId, p.transferId(), p.pendingId(), true);
            case LedgerOp.VoidPending v -> resolve(h, paymentId, v.transferId(), v.pendingId(), false);
        }
    }

    /**
     * Locks both accounts in code order (so two transactions never wait on each other in a
     * circle), checks the debit side before anything is written, then records the transfer
     * and its totals. A transfer id seen before changes nothing.
     */
    private void move(Handle h, UUID paymentId, UUID transferId, String kind, AccountRef debit,
                             AccountRef credit, BigDecimal amount) {
        ensureAccount(h, debit);
        ensureAccount(h, credit);
        boolean debitOk = h.createQuery("""
                        SELECT code, NOT no_overdraft OR debits_pending + debits_posted + :a <= credits_posted AS ok
                        FROM ledger_account WHERE code IN (:d, :c) ORDER BY code FOR UPDATE""")
                .bind("a", amount).bind("d", debit.code()).bind("c", credit.code())
                .map((rs, ctx) -> rs.getString("code").equals(debit.code()) ? rs.getBoolean("ok") : Boolean.TRUE)
                .list().stream().allMatch(Boolean::booleanValue);
        if (!debitOk) {
            throw new InsufficientFunds(debit.code());
        }
        if (insertTransfer(h, transferId, paymentId, kind, debit.code(), credit.code(), amount, debit.currency(),
                null) == 0) {
            return;
        }
        String side = kind.equals("PENDING") ? "_pending" : "_posted";
        h.createUpdate("UPDATE ledger_account SET debits" + side + " = debits" + side + " + :a WHERE code = :c")
                .bind("a", amount).bind("c", debit.code()).execute();
        h.createUpdate("UPDATE ledger_account SET credits" + side + " = credits" + side + " + :a WHERE code = :c")
                .bind("a", amount).bind("c", credit.code()).execute();
    }

    private record Pending(String debit, String credit, BigDecimal amount, String currency) {
    }

    /** Posts or voids a pending transfer once; a second resolution of the same one changes nothing. */
    private static void resolve(Handle h, UUID paymentId, UUID transferId, UUID pendingId, boolean post) {
        Optional<Pending> pending = h.createQuery("""
                        SELECT debit_account, credit_account, amount, currency FROM ledger_transfer
                        WHERE id = :id AND kind = 'PENDING'""")
                .bind("id", pendingId)
                .map((rs, ctx) -> new Pending(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getString(4)))
                .findOne();
        if (pending.isEmpty()) {
            return;
        }
        Pending p = pending.get();
        int inserted = insertTransfer(h, transferId, paymentId, post ? "POST_PENDING" : "VOID_PENDING", p.debit(),
                p.credit(), p.amount(), p.currency(), pendingId);
        if (inserted == 0) {
            return;
        }
        String[] codes = p.debit().compareTo(p.credit()) < 0 ? new String[] {p.debit(), p.credit()}
                : new String[] {p.credit(), p.debit()};
        for (String code : codes) {
            boolean isDebit = code.equals(p.debit());
            String side = isDebit ? "debits" : "credits";
            String set = side + "_pending = " + side + "_pending - :a"
                    + (post ? ", " + side + "_posted = " + side + "_posted + :a" : "");
            h.createUpdate("UPDATE ledger_account SET " + set + " WHERE code = :c")
                    .bind("a", p.amount()).bind("c", code).execute();
        }
    }

    private static int insertTransfer(Handle h, UUID id, UUID paymentId, String kind, String debit, String credit,
                                      BigDecimal amount, String currency, UUID pendingId) {
        return h.createUpdate("""
                        INSERT INTO ledger_transfer (id, payment_id, kind, debit_account, credit_account, amount,
                            currency, pending_id)
                        VALUES (:id, :p, :kind, :d, :c, :a, :cur, :pending)
                        ON CONFLICT DO NOTHING""")
                .bind("id", id).bind("p", paymentId).bind("kind", kind).bind("d", debit).bind("c", credit)
                .bind("a", amount).bind("cur", currency).bind("pending", pendingId).execute();
    }
}
