package io.kulipa.store;

import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.InsufficientFunds;
import io.kulipa.ledger.LedgerOp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Writes ledger ops inside the caller's transaction. Many ops at once cost one lock of each
 * account involved (taken in code order, so two transactions never wait on each other in a
 * circle) and one update of each account's totals, however many transfers touch it: that is
 * what keeps a hot merchant wallet cheap. A debit that would overdraw an account that must not
 * be overdrawn is refused before anything is written; the table's CHECK is the last defence.
 */
public final class LedgerSql {

    /** A ledger op of a payment. */
    public record Entry(UUID paymentId, LedgerOp op) {
    }

    /** One transfer about to be written, with its accounts resolved. */
    private record Move(UUID id, UUID paymentId, String kind, String debit, String credit, BigDecimal amount,
                        String currency, UUID pendingId) {
    }

    /** Running totals of a locked account. */
    private static final class Totals {
        final boolean noOverdraft;
        BigDecimal debitsPending;
        BigDecimal debitsPosted;
        BigDecimal creditsPending;
        BigDecimal creditsPosted;
        boolean changed;

        /** Whether a further debit of {@code amount} would overdraw an account that must not be overdrawn. */
        boolean cannotCover(BigDecimal amount) {
            return noOverdraft && debitsPending.add(debitsPosted).add(amount).compareTo(creditsPosted) > 0;
        }

        Totals(boolean noOverdraft, BigDecimal dpend, BigDecimal dpost, BigDecimal cpend, BigDecimal cpost) {
            this.noOverdraft = noOverdraft;
            this.debitsPending = dpend;
            this.debitsPosted = dpost;
            this.creditsPending = cpend;
            this.creditsPosted = cpost;
        }
    }

    /** Accounts of this database known to exist; they are never deleted, so this only saves round trips. */
    private final Set<String> knownAccounts = ConcurrentHashMap.newKeySet();
    private static final int KNOWN_ACCOUNTS_MAX = 100_000;

    /**
     * Reservations of a batch of new payments: the accounts are locked once, each reservation is
     * checked and booked in memory in the order asked, and {@link #write} writes the transfers
     * and each account's totals once.
     */
    public static final class Reservations {
        private final Map<String, Totals> accounts;
        private final List<Move> moves = new ArrayList<>();

        private Reservations(Map<String, Totals> accounts) {
            this.accounts = accounts;
        }

        /** Books the reservation when the debit account can cover it; false (and nothing booked) otherwise. */
        boolean tryReserve(UUID paymentId, LedgerOp.Reserve r) {
            Totals debit = accounts.get(r.debit().code());
            if (debit.cannotCover(r.amount())) {
                return false;
            }
            Move m = new Move(r.transferId(), paymentId, "PENDING", r.debit().code(), r.credit().code(), r.amount(),
                    r.debit().currency(), null);
            moves.add(m);
            book(m, debit, accounts.get(r.credit().code()));
            return true;
        }

        void write(Handle h) {
            if (moves.isEmpty()) {
                return;
            }
            // One statement for every reservation of the batch, in order (issue 14: a Jdbi batch ran
            // one statement per reservation, one per payout on a hot wallet).
            Jdbc.run("write reservations", () -> {
                try (java.sql.PreparedStatement ps = transfers(h, INSERT_TRANSFERS, moves)) {
                    return ps.executeUpdate();
                }
            });
            writeTotals(h, accounts);
        }
    }

    /** Ensures and locks (in code order) every account the reservations touch. */
    public Reservations openReservations(Handle h, List<LedgerOp.Reserve> reservations) {
        List<Move> probes = new ArrayList<>();
        for (LedgerOp.Reserve r : reservations) {
            probes.add(direct(h, null, r.transferId(), "PENDING", r.debit(), r.credit(), r.amount()));
        }
        return new Reservations(probes.isEmpty() ? new HashMap<>() : lock(h, probes));
    }

    public void apply(Handle h, UUID paymentId, LedgerOp op) {
        applyAll(h, List.of(new Entry(paymentId, op)));
    }

    public void applyAll(Handle h, List<Entry> entries) {
        List<Move> moves = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            resolve(h, e).ifPresent(moves::add);
        }
        if (moves.isEmpty()) {
            return;
        }
        Map<String, Totals> accounts = lock(h, moves);
        if (anyRefused(moves, accounts)) {
            // The exact path: check, write and book one transfer after another. The caller may catch
            // the refusal and go on in the same transaction, so nothing of the refused move is written.
            for (Move m : moves) {
                Totals debit = accounts.get(m.debit());
                if (refused(m, debit)) {
                    throw new InsufficientFunds(m.debit());
                }
                if (insertTransfers(h, List.of(m))[0] == 1) {
                    book(m, debit, accounts.get(m.credit()));
                }
            }
        } else {
            // Nothing would be refused even if every transfer were new, so none is: every transfer
            // in one statement (issue 14: one statement each before), booking the ones written (a
            // transfer already written, by its id or its reservation's resolution, moves nothing).
            int[] inserted = insertTransfers(h, moves);
            for (int i = 0; i < moves.size(); i++) {
                Move m = moves.get(i);
                if (inserted[i] == 1) {
                    book(m, accounts.get(m.debit()), accounts.get(m.credit()));
                }
            }
        }
        writeTotals(h, accounts);
    }

    /** Whether the move takes money from its debit account (a resolution of a reservation does not). */
    private static boolean debits(Move m) {
        return m.kind().equals("POSTED") || m.kind().equals("PENDING");
    }

    private static boolean refused(Move m, Totals debit) {
        return debits(m) && debit.cannotCover(m.amount());
    }

    /**
     * Whether a debit might be refused: each account's new debits (every move counted, as if none
     * were written already) against what it held before the batch, with none of the batch's credits
     * or releases. When this answers false no move can be refused whatever is written, since a
     * move already written only debits less and the batch's credits only add; when true, the
     * exact one-by-one path decides.
     */
    private static boolean anyRefused(List<Move> moves, Map<String, Totals> accounts) {
        Map<String, BigDecimal> debited = new HashMap<>();
        for (Move m : moves) {
            if (debits(m) && accounts.get(m.debit()).cannotCover(debited.merge(m.debit(), m.amount(), BigDecimal::add))) {
                return true;
            }
        }
        return false;
    }

    /** Plain JDBC on the connection of {@code h}, as the other hot paths (ADR 23): Jdbi's statement set-up showed in the profile. */
    private static void writeTotals(Handle h, Map<String, Totals> accounts) {
        java.sql.Connection c = h.getConnection();
        accounts.forEach((code, t) -> {
            if (t.changed) {
                Jdbc.update(c, """
                                UPDATE ledger_account SET debits_pending = ?, debits_posted = ?,
                                    credits_pending = ?, credits_posted = ? WHERE code = ?""",
                        t.debitsPending, t.debitsPosted, t.creditsPending, t.creditsPosted, code);
            }
        });
    }

    private Optional<Move> resolve(Handle h, Entry e) {
        return switch (e.op()) {
            case LedgerOp.Post p -> Optional.of(direct(h, e.paymentId(), p.transferId(), "POSTED", p.debit(),
                    p.credit(), p.amount()));
            case LedgerOp.Reserve r -> Optional.of(direct(h, e.paymentId(), r.transferId(), "PENDING", r.debit(),
                    r.credit(), r.amount()));
            case LedgerOp.PostPending p -> pending(h, e.paymentId(), p.transferId(), p.pendingId(), "POST_PENDING");
            case LedgerOp.VoidPending v -> pending(h, e.paymentId(), v.transferId(), v.pendingId(), "VOID_PENDING");
        };
    }

    private Move direct(Handle h, UUID paymentId, UUID id, String kind, AccountRef debit, AccountRef credit,
                        BigDecimal amount) {
        ensureAccount(h, debit);
        ensureAccount(h, credit);
        return new Move(id, paymentId, kind, debit.code(), credit.code(), amount, debit.currency(), null);
    }

    /** The resolution of a reservation moves what the reservation set aside, between the same accounts. */
    private static Optional<Move> pending(Handle h, UUID paymentId, UUID id, UUID pendingId, String kind) {
        return Jdbc.one(h.getConnection(), """
                        SELECT debit_account, credit_account, amount, currency FROM ledger_transfer
                        WHERE id = ? AND kind = 'PENDING'""",
                rs -> new Move(id, paymentId, kind, rs.getString(1), rs.getString(2), rs.getBigDecimal(3),
                        rs.getString(4), pendingId), pendingId);
    }

    private static Map<String, Totals> lock(Handle h, List<Move> moves) {
        Set<String> codes = new TreeSet<>();
        moves.forEach(m -> {
            codes.add(m.debit());
            codes.add(m.credit());
        });
        Map<String, Totals> accounts = new HashMap<>();
        java.sql.Connection c = h.getConnection();
        java.sql.Array array = Jdbc.run("lock ledger accounts", () -> Jdbc.texts(c, codes.toArray(String[]::new)));
        Jdbc.query(c, """
                        SELECT code, no_overdraft, debits_pending, debits_posted, credits_pending, credits_posted
                        FROM ledger_account WHERE code = ANY(?) ORDER BY code FOR UPDATE""",
                rs -> Map.entry(rs.getString(1), new Totals(rs.getBoolean(2), rs.getBigDecimal(3),
                        rs.getBigDecimal(4), rs.getBigDecimal(5), rs.getBigDecimal(6))), array)
                .forEach(e -> accounts.put(e.getKey(), e.getValue()));
        return accounts;
    }

    private static void book(Move m, Totals debit, Totals credit) {
        BigDecimal a = m.amount();
        switch (m.kind()) {
            case "POSTED" -> {
                debit.debitsPosted = debit.debitsPosted.add(a);
                credit.creditsPosted = credit.creditsPosted.add(a);
            }
            case "PENDING" -> {
                debit.debitsPending = debit.debitsPending.add(a);
                credit.creditsPending = credit.creditsPending.add(a);
            }
            case "POST_PENDING" -> {
                debit.debitsPending = debit.debitsPending.subtract(a);
                debit.debitsPosted = debit.debitsPosted.add(a);
                credit.creditsPending = credit.creditsPending.subtract(a);
                credit.creditsPosted = credit.creditsPosted.add(a);
            }
            case "VOID_PENDING" -> {
                debit.debitsPending = debit.debitsPending.subtract(a);
                credit.creditsPending = credit.creditsPending.subtract(a);
            }
            default -> throw new IllegalStateException("unknown transfer kind " + m.kind());
        }
        debit.changed = true;
        credit.changed = true;
    }

    public void ensureAccount(Handle h, AccountRef a) {
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

    /**
     * Writes each transfer once: 1 when written, 0 when its id (or its reservation's resolution)
     * exists, in the order of {@code moves}. One statement for them all, from arrays (issue 14: a
     * JDBC batch ran one statement per transfer), inserting in list order: a transfer that conflicts
     * with one written before it by the same statement is skipped as one that was there already,
     * so the first of two with the same id or resolving the same reservation is written, as one
     * statement each did.
     */
    private static int[] insertTransfers(Handle h, List<Move> moves) {
        int[] inserted = new int[moves.size()];
        if (moves.isEmpty()) {
            return inserted;
        }
        return Jdbc.run("insert ledger transfers", () -> {
            // What came back names each written row by its id and its reservation: a row only conflicts
            // on one of these, so of the moves sharing both at most one is written, and it is the first.
            Set<List<UUID>> written = new java.util.HashSet<>();
            try (java.sql.PreparedStatement ps = transfers(h, INSERT_TRANSFERS + NEW_ONES_ONLY, moves)) {
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        written.add(key(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
                    }
                }
            }
            for (int i = 0; i < moves.size(); i++) {
                inserted[i] = written.remove(key(moves.get(i).id(), moves.get(i).pendingId())) ? 1 : 0;
            }
            return inserted;
        });
    }

    private static List<UUID> key(UUID id, UUID pendingId) {
        return java.util.Arrays.asList(id, pendingId);
    }

    /** {@code sql} (an {@link #INSERT_TRANSFERS}) bound to {@code moves}, one row of each array per move. */
    private static java.sql.PreparedStatement transfers(Handle h, String sql, List<Move> moves)
            throws java.sql.SQLException {
        java.sql.Connection c = h.getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement(sql);
        try {
            Jdbc.bind(ps, Jdbc.texts(c, moves, Move::id), Jdbc.texts(c, moves, Move::paymentId),
                    Jdbc.texts(c, moves, Move::kind), Jdbc.texts(c, moves, Move::debit),
                    Jdbc.texts(c, moves, Move::credit), Jdbc.texts(c, moves, m -> m.amount().toPlainString()),
                    Jdbc.texts(c, moves, Move::currency), Jdbc.texts(c, moves, Move::pendingId));
            return ps;
        } catch (java.sql.SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /**
     * Transfers from arrays, inserted in their order. The currency is not cast: assigned to the
     * char(3) column it is refused when too long, where a cast would cut it; the amount is cast to
     * numeric and rounded by the column, as a bound numeric was.
     */
    private static final String INSERT_TRANSFERS = """
            INSERT INTO ledger_transfer (id, payment_id, kind, debit_account, credit_account, amount, currency,
                                         pending_id)
            SELECT CAST(t.id AS uuid), CAST(t.p AS uuid), t.kind, t.d, t.c, CAST(t.a AS numeric), t.cur,
                   CAST(t.pending AS uuid)
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                WITH ORDINALITY AS t(id, p, kind, d, c, a, cur, pending, n)
            ORDER BY t.n
            """;

    /** {@link #insertTransfers}' ending: a transfer whose id or resolution exists is skipped, the written ones answered. */
    private static final String NEW_ONES_ONLY = """
            ON CONFLICT DO NOTHING
            RETURNING id, pending_id""";
}
