package io.kulipa.store;

import io.kulipa.ledger.InsufficientFunds;
import io.kulipa.ledger.LedgerOp;
import io.kulipa.money.Amount;
import io.kulipa.payments.FailureCode;
import io.kulipa.outbox.Job;
import io.kulipa.payments.Rejection;
import java.math.BigDecimal;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.outbox.NodeHeartbeat;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentChange;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.Transitions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Payments, their history and the outbox in PostgreSQL. Every state change is one
 * transaction: the conditional update, the history row and the jobs it needs.
 */
public final class JdbiPaymentStore implements PaymentStore {

    /** Ops look-ups across dialects: one payment per dialect at most, so a handful is plenty. */
    private static final int EVERY_DIALECT_MAX = 16;

    private final Jdbi jdbi;
    private final Sessions sessions;
    private final LedgerSql ledgerSql = new LedgerSql();
    private final String nodeId;
    private final Duration handOffLease;

    /**
     * @param nodeId       this process's name in job leases
     * @param handOffLease how long a job committed here stays reserved for this node
     */
    public JdbiPaymentStore(Jdbi jdbi, String nodeId, Duration handOffLease) {
        this(jdbi, null, nodeId, handOffLease);
    }

    /**
     * @param direct the pool under {@code jdbi}, for the hot reads and job updates in plain JDBC
     *               without a Jdbi handle each ({@link Sessions}); null to go through Jdbi
     */
    public JdbiPaymentStore(Jdbi jdbi, javax.sql.DataSource direct, String nodeId, Duration handOffLease) {
        this.jdbi = jdbi;
        this.sessions = new Sessions(jdbi, direct);
        this.nodeId = nodeId;
        this.handOffLease = handOffLease;
    }

    /**
     * Writes a batch in a global order, so that two batches never wait on each other in a
     * circle. A batch without refunds writes its payments sorted by their client key, then locks
     * every account it reserves from (by code); a batch with refunds locks the deposits being
     * refunded (by id), then the accounts, then writes its payments. A deadlock or serialisation
     * failure that slips through anyway (a refund batch and a batch repeating one of its payouts)
     * is retried a few times.
     * <p>
     * A batch that reserves funds (payouts) first writes everything as if every reservation fitted
     * and locks its accounts last, just before the commit: on a hot wallet each batch holds that
     * one row from its lock to its commit, and the batches queue on it (issue 14: three writers
     * waiting on the wallet's row at any moment of the payout benchmark). When a reservation does
     * not fit, that transaction is rolled back and the batch is written again the exact way,
     * deciding each reservation before its payment's history and jobs.
     */
    @Override
    public List<Inserted> insertAll(List<NewPayment> batch) {
        boolean refunds = batch.stream().anyMatch(n -> n.refundableTotal() != null);
        if (refunds) {
            return Retrying.onConflict(() -> jdbi.inTransaction(h -> writeOneByOne(h, batch)));
        }
        boolean reserves = batch.stream().anyMatch(n -> n.reservation() != null);
        if (reserves) {
            try {
                return Retrying.onConflict(() -> jdbi.inTransaction(h -> writeTogether(h, batch, true)));
            } catch (ReservationDoesNotFit e) {
                // Rolled back: nothing of the optimistic attempt was written.
            }
        }
        return Retrying.onConflict(() -> jdbi.inTransaction(h -> writeTogether(h, batch, false)));
    }

    /** A batch written with its accounts locked last found a reservation its account cannot cover. */
    private static final class ReservationDoesNotFit extends RuntimeException {
        ReservationDoesNotFit() {
            super("a reservation of the batch does not fit; written again deciding each one first", null, false, false);
        }
    }

    /**
     * Refunds are checked against what their deposit has left, which earlier refunds of the same
     * batch change, so a batch with refunds writes its payments one after another.
     */
    private List<Inserted> writeOneByOne(Handle h, List<NewPayment> batch) {
        lockInOrder(h, batch);
        Inserted[] results = new Inserted[batch.size()];
        sortedByClientKey(batch).forEach(i -> results[i] = insertOne(h, batch.get(i)));
        return List.of(results);
    }

    private static java.util.stream.Stream<Integer> sortedByClientKey(List<NewPayment> batch) {
        return java.util.stream.IntStream.range(0, batch.size()).boxed()
                .sorted(java.util.Comparator.comparing(i -> clientKey(batch.get(i).payment())));
    }

    /**
     * Deposits and payouts: a few round trips for the whole batch. The payment rows go in one
     * JDBC batch (a conflict marks a duplicate), reservations are decided in memory against the
     * accounts locked once, then history, jobs, transfers and account totals go in batches too.
     *
     * @param lockLast lock the accounts of the batch's reservations after writing its payments,
     *                 history and jobs, and throw {@link ReservationDoesNotFit} (the caller rolls
     *                 back) when one does not fit; otherwise lock them after the payments and decide
     *                 each reservation before its payment's history and jobs
     */
    private List<Inserted> writeTogether(Handle h, List<NewPayment> batch, boolean lockLast) {
        List<LedgerOp.Reserve> reserves = batch.stream().map(NewPayment::reservation)
                .filter(java.util.Objects::nonNull).toList();
        List<Integer> order = sortedByClientKey(batch).toList();
        return Jdbc.run("insert payments", () -> {
            List<Payment> rows = order.stream().map(i -> batch.get(i).payment()).toList();
            java.util.Set<UUID> written = insertRows(h, rows);
            int[] inserted = rows.stream().mapToInt(p -> written.contains(p.id()) ? 1 : 0).toArray();
            return writeTogether(h, batch, order, inserted, reserves, lockLast);
        });
    }

    /**
     * The payment rows in one statement from arrays (issue 14: a JDBC batch ran one statement per
     * row), inserted in the list's order; answers the ids written: a payment missing from them has
     * the client key of one stored before, or of one earlier in the list.
     */
    private static java.util.Set<UUID> insertRows(Handle h, List<Payment> rows) throws java.sql.SQLException {
        java.sql.Connection c = h.getConnection();
        java.util.Set<UUID> written = new java.util.HashSet<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement(INSERT_PAYMENTS)) {
            Jdbc.bind(ps, Jdbc.texts(c, rows, Payment::id), Jdbc.texts(c, rows, Payment::merchantId),
                    Jdbc.texts(c, rows, p -> p.kind().name()), Jdbc.texts(c, rows, Payment::clientRef),
                    Jdbc.texts(c, rows, Payment::dialect), Jdbc.texts(c, rows, p -> p.state().name()),
                    Jdbc.texts(c, rows, p -> p.amount().toPlainString()), Jdbc.texts(c, rows, Payment::amountText),
                    Jdbc.texts(c, rows, Payment::currency), Jdbc.texts(c, rows, Payment::country),
                    Jdbc.texts(c, rows, Payment::correspondent), Jdbc.texts(c, rows, Payment::msisdn),
                    Jdbc.texts(c, rows, Payment::customerTimestamp), Jdbc.texts(c, rows, Payment::statementDescription),
                    Jdbc.texts(c, rows, Payment::preAuthorisationCode), Jdbc.texts(c, rows, p -> Json.write(p.metadata())),
                    Jdbc.texts(c, rows, Payment::fingerprint), Jdbc.texts(c, rows, Payment::callbackUrl),
                    Jdbc.texts(c, rows, Payment::created), Jdbc.texts(c, rows, Payment::relatedPaymentId));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    written.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return written;
    }

    /** New payment rows from arrays, in the arrays' order; a client key stored before is skipped. */
    private static final String INSERT_PAYMENTS = """
            INSERT INTO payment (id, merchant_id, kind, client_ref, dialect, state, amount, amount_text,
                currency, country, correspondent, msisdn, customer_timestamp, statement_description,
                pre_authorisation_code, metadata, fingerprint, callback_url, created_at, updated_at,
                related_payment_id)
            SELECT CAST(r.id AS uuid), CAST(r.merchant_id AS uuid), r.kind, r.client_ref, r.dialect, r.state,
                CAST(r.amount AS numeric), r.amount_text, r.currency, r.country, r.correspondent, r.msisdn,
                r.customer_timestamp, r.statement_description, r.pre_authorisation_code, CAST(r.metadata AS jsonb),
                r.fingerprint, r.callback_url, CAST(r.created AS timestamptz), CAST(r.created AS timestamptz),
                CAST(r.related AS uuid)
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                WITH ORDINALITY AS r(id, merchant_id, kind, client_ref, dialect, state, amount, amount_text, currency,
                                     country, correspondent, msisdn, customer_timestamp, statement_description,
                                     pre_authorisation_code, metadata, fingerprint, callback_url, created, related, n)
            ORDER BY r.n
            ON CONFLICT ON CONSTRAINT payment_client_ref_unique DO NOTHING
            RETURNING id""";

    /** The rest of the batch once its payment rows are written (see {@link #writeTogether(Handle, List, boolean)}). */
    private List<Inserted> writeTogether(Handle h, List<NewPayment> batch, List<Integer> order, int[] inserted,
                                         List<LedgerOp.Reserve> reserves, boolean lockLast)
            throws java.sql.SQLException {
        LedgerSql.Reservations reservations = lockLast ? null : ledgerSql.openReservations(h, reserves);
        List<Integer> reserveLater = new ArrayList<>();
        Inserted[] results = new Inserted[batch.size()];
        Payment[] stored = new Payment[batch.size()];
        List<NewJob>[] jobs = newJobArray(batch.size());
        List<Event> events = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            NewPayment n = batch.get(i);
            Payment p = n.payment();
            if (inserted[k] == 0) {
                results[i] = new Inserted.Duplicate(find(h, p.merchantId(), p.dialect(), p.kind(), p.clientRef())
                        .orElseThrow());
                continue;
            }
            stored[i] = p;
            jobs[i] = n.jobs();
            events.add(new Event(p.id(), null, p.state(), p.state().name(), null));
            if (n.reservation() != null && lockLast) {
                reserveLater.add(i);
            } else if (n.reservation() != null && !reservations.tryReserve(p.id(), n.reservation())) {
                stored[i] = p.withOutcome(PaymentState.FAILED, n.insufficientFunds(),
                        "The merchant's wallet does not have the funds for this payment", p.created());
                setOutcome(h, stored[i]);
                events.add(new Event(p.id(), p.state(), PaymentState.FAILED, "FUNDS_NOT_AVAILABLE",
                        n.insufficientFunds().name()));
                jobs[i] = List.of(new NewJob(JobKind.WEBHOOK, p.created(), null, true));
            }
        }
        insertEvents(h, events);
        Map<UUID, List<Job>> leased = addJobsTogether(h, stored, jobs);
        if (lockLast) {
            reservations = ledgerSql.openReservations(h, reserves);
            for (int i : reserveLater) {
                if (!reservations.tryReserve(stored[i].id(), batch.get(i).reservation())) {
                    throw new ReservationDoesNotFit();
                }
            }
        }
        reservations.write(h);
        for (int i = 0; i < batch.size(); i++) {
            if (results[i] == null) {
                results[i] = new Inserted.Created(stored[i], leased.getOrDefault(stored[i].id(), List.of()));
            }
        }
        return List.of(results);
    }

    @SuppressWarnings("unchecked")
    private static List<NewJob>[] newJobArray(int size) {
        return new List[size];
    }

    /** The jobs of many new payments in one statement; returns the ones leased to this node, by payment. */
    private Map<UUID, List<Job>> addJobsTogether(Handle h, Payment[] payments, List<NewJob>[] jobs) {
        List<UUID> owners = new ArrayList<>();
        List<NewJob> all = new ArrayList<>();
        for (int i = 0; i < payments.length; i++) {
            if (payments[i] == null) {
                continue;
            }
            for (NewJob j : jobs[i]) {
                owners.add(payments[i].id());
                all.add(j);
            }
        }
        Map<UUID, List<Job>> leased = new java.util.HashMap<>();
        Jdbc.run("add jobs", () -> insertJobs(h, owners, all))
                .forEach(job -> leased.computeIfAbsent(job.paymentId(), id -> new ArrayList<>()).add(job));
        return leased;
    }

    private static String clientKey(Payment p) {
        return p.merchantId() + "/" + p.dialect() + "/" + p.kind() + "/" + p.clientRef();
    }

    private void lockInOrder(Handle h, List<NewPayment> batch) {
        UUID[] deposits = batch.stream().filter(n -> n.refundableTotal() != null)
                .map(n -> n.payment().relatedPaymentId()).distinct().sorted().toArray(UUID[]::new);
        if (deposits.length > 0) {
            h.createQuery("SELECT id FROM payment WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
                    .bind("ids", deposits).mapTo(UUID.class).list();
        }
        List<LedgerOp.Reserve> reservations = batch.stream().map(NewPayment::reservation)
                .filter(java.util.Objects::nonNull).toList();
        if (!reservations.isEmpty()) {
            java.util.Set<String> codes = new java.util.TreeSet<>();
            for (LedgerOp.Reserve r : reservations) {
                ledgerSql.ensureAccount(h, r.debit());
                ledgerSql.ensureAccount(h, r.credit());
                codes.add(r.debit().code());
                codes.add(r.credit().code());
            }
            h.createQuery("SELECT code FROM ledger_account WHERE code = ANY(:codes) ORDER BY code FOR UPDATE")
                    .bind("codes", codes.toArray(String[]::new)).mapTo(String.class).list();
        }
    }

    private Inserted insertOne(Handle h, NewPayment n) {
        Payment p = n.payment();
        if (n.refundableTotal() != null) {
            Optional<Rejection> over = refundOverLimit(h, p, n.refundableTotal());
            if (over.isPresent()) {
                Optional<Payment> existing = find(h, p.merchantId(), p.dialect(), p.kind(), p.clientRef());
                return existing.<Inserted>map(Inserted.Duplicate::new).orElse(new Inserted.Refused(over.get()));
            }
        }
        if (Jdbc.run("insert payment", () -> insertRows(h, List.of(p))).isEmpty()) {
            return new Inserted.Duplicate(find(h, p.merchantId(), p.dialect(), p.kind(), p.clientRef()).orElseThrow());
        }
        appendEvent(h, p.id(), null, p.state(), p.state().name(), null);
        List<NewJob> jobs = n.jobs();
        Payment stored = p;
        if (n.reservation() != null) {
            try {
                ledgerSql.apply(h, p.id(), n.reservation());
            } catch (InsufficientFunds e) {
                stored = p.withOutcome(PaymentState.FAILED, n.insufficientFunds(),
                        "The merchant's wallet does not have the funds for this payment", p.created());
                setOutcome(h, stored);
                appendEvent(h, p.id(), p.state(), PaymentState.FAILED, "FUNDS_NOT_AVAILABLE",
                        n.insufficientFunds().name());
                jobs = List.of(new NewJob(JobKind.WEBHOOK, p.created(), null, true));
            }
        }
        return new Inserted.Created(stored, addJobs(h, p.id(), jobs));
    }

    /** Locks the deposit so that concurrent refunds of it are counted one after another. */
    private static Optional<Rejection> refundOverLimit(Handle h, Payment refund, BigDecimal refundable) {
        h.createQuery("SELECT id FROM payment WHERE id = :d FOR UPDATE").bind("d", refund.relatedPaymentId())
                .mapTo(UUID.class).one();
        BigDecimal taken = h.createQuery("""
                        SELECT coalesce(sum(amount), 0) FROM payment
                        WHERE related_payment_id = :d AND kind = 'REFUND' AND state <> 'FAILED'""")
                .bind("d", refund.relatedPaymentId()).mapTo(BigDecimal.class).one();
        BigDecimal left = refundable.subtract(taken);
        if (refund.amount().compareTo(left) > 0) {
            return Optional.of(new Rejection(FailureCode.AMOUNT_TOO_LARGE, "amount: at most "
                    + Amount.plain(left.max(BigDecimal.ZERO)) + " " + refund.currency()
                    + " of this deposit is left to refund"));
        }
        return Optional.empty();
    }

    /** A history row: a state change (from null for the first), or a note (both null). */
    private record Event(UUID paymentId, PaymentState from, PaymentState to, String event, String detail) {
    }

    /** History rows in one statement, in the list's order. */
    private static void insertEvents(Handle h, List<Event> events) throws java.sql.SQLException {
        if (events.isEmpty()) {
            return;
        }
        java.sql.Connection c = h.getConnection();
        try (java.sql.PreparedStatement ps = c.prepareStatement("""
                INSERT INTO payment_event (payment_id, from_state, to_state, event, detail)
                SELECT CAST(e.p AS uuid), e.f, e.t, e.ev, e.d
                FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                            CAST(? AS text[])) WITH ORDINALITY AS e(p, f, t, ev, d, n)
                ORDER BY e.n""")) {
            Jdbc.bind(ps, Jdbc.texts(c, events, Event::paymentId), Jdbc.texts(c, events, Event::from),
                    Jdbc.texts(c, events, Event::to), Jdbc.texts(c, events, Event::event),
                    Jdbc.texts(c, events, Event::detail));
            ps.executeUpdate();
        }
    }

    private static void setOutcome(Handle h, Payment p) {
        h.createUpdate("""
                        UPDATE payment SET state = :state, failure_code = :code, failure_message = :message,
                            responded_at = :at, updated_at = :at WHERE id = :id""")
                .bind("state", p.state().name()).bind("code", p.failureCode() == null ? null : p.failureCode().name())
                .bind("message", p.failureMessage()).bind("at", PaymentRows.ts(p.updated())).bind("id", p.id())
                .execute();
    }

    @Override
    public Optional<Payment> find(UUID merchantId, String dialect, PaymentKind kind, String clientRef) {
        return jdbi.withHandle(h -> find(h, merchantId, dialect, kind, clientRef));
    }

    private static Optional<Payment> find(Handle h, UUID merchantId, String dialect, PaymentKind kind,
                                          String clientRef) {
        return h.createQuery("SELECT " + PaymentRows.COLUMNS + " FROM payment"
                        + " WHERE merchant_id = :m AND dialect = :d AND kind = :k AND client_ref = :r")
                .bind("m", merchantId).bind("d", dialect).bind("k", kind.name()).bind("r", clientRef)
                .map(PaymentRows.PAYMENT).findOne();
    }

    @Override
    public List<Payment> findInEveryDialect(UUID merchantId, PaymentKind kind, String clientRef) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PaymentRows.COLUMNS + " FROM payment"
                        + " WHERE merchant_id = :m AND kind = :k AND client_ref = :r ORDER BY dialect LIMIT :max")
                .bind("m", merchantId).bind("k", kind.name()).bind("r", clientRef)
                .bind("max", EVERY_DIALECT_MAX).map(PaymentRows.PAYMENT).list());
    }

    @Override
    public Optional<Payment> get(UUID id) {
        return sessions.withConnection("read payment", c -> Jdbc.one(c, GET_PAYMENT, PaymentRows::payment, id));
    }

    private static final String GET_PAYMENT = "SELECT " + PaymentRows.COLUMNS + " FROM payment WHERE id = ?";

    @Override
    public Map<UUID, Payment> getAll(List<UUID> ids) {
        Map<UUID, Payment> found = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        sessions.withConnection("read payments", c -> {
            for (Payment p : Jdbc.query(c, GET_PAYMENTS, PaymentRows::payment,
                    Jdbc.texts(c, ids, UUID::toString))) {
                found.put(p.id(), p);
            }
            return null;
        });
        return found;
    }

    private static final String GET_PAYMENTS = "SELECT " + PaymentRows.COLUMNS
            + " FROM payment WHERE id = ANY(CAST(CAST(? AS text[]) AS uuid[]))";

    @Override
    public BigDecimal refundedSoFar(UUID depositId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT coalesce(sum(amount), 0) FROM payment
                        WHERE related_payment_id = :d AND kind = 'REFUND' AND state <> 'FAILED'""")
                .bind("d", depositId).mapTo(BigDecimal.class).one());
    }

    @Override
    public java.util.Set<String> enqueuedCorrespondents() {
        // Each next correspondent from the index, one probe per correspondent however long its queue.
        return jdbi.withHandle(h -> h.createQuery("""
                        WITH RECURSIVE c AS (
                            (SELECT correspondent FROM payment_enqueued ORDER BY correspondent LIMIT 1)
                            UNION ALL
                            SELECT (SELECT e.correspondent FROM payment_enqueued e WHERE e.correspondent > c.correspondent
                                    ORDER BY e.correspondent LIMIT 1)
                            FROM c WHERE c.correspondent IS NOT NULL)
                        SELECT correspondent FROM c WHERE correspondent IS NOT NULL""")
                .mapTo(String.class).set());
    }

    @Override
    public List<Payment> enqueued(java.util.Collection<String> correspondents, int limit) {
        if (correspondents.isEmpty()) {
            return List.of();
        }
        // payment_enqueued is kept by triggers (V43, V44): no index on payment covers state (HOT updates).
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PaymentRows.columns("p.")
                        + " FROM payment_enqueued e JOIN payment p ON p.id = e.payment_id"
                        + " WHERE e.correspondent = ANY(:c) AND p.state = 'ENQUEUED'"
                        + " ORDER BY e.created_at, e.payment_id LIMIT :limit")
                .bindArray("c", String.class, correspondents.toArray(String[]::new))
                .bind("limit", limit).map(PaymentRows.PAYMENT).list());
    }

    @Override
    public void recordRepeat(UUID paymentId, String fingerprint, boolean sameBody) {
        note(paymentId, sameBody ? "REPEAT_SAME_BODY_IGNORED" : "REPEAT_DIFFERENT_BODY_IGNORED",
                "fingerprint " + fingerprint);
    }

    /**
     * Payments are locked in id order and accounts in code order, so batches never deadlock each
     * other. The changes are one statement (lock, conditional update and history rows) for all the
     * batch's payments, one more for each payment changed a second time in the batch; the jobs
     * the batch adds, the jobs it settles, its ledger postings and the status checks it closes
     * are one statement each for the whole batch (issue 14), in plain JDBC ({@link Jdbc}).
     */
    @Override
    public List<Optional<Transitioned>> transitionAll(List<StateChange> changes) {
        return Retrying.onConflict(() -> jdbi.inTransaction(h -> Jdbc.run("state changes",
                () -> transitionAll(h, changes))));
    }

    private List<Optional<Transitioned>> transitionAll(Handle h, List<StateChange> changes)
            throws java.sql.SQLException {
        Payment[] moved = new Payment[changes.size()];
        List<LedgerSql.Entry> postings = new ArrayList<>();
        List<UUID> nowFinal = new ArrayList<>();
        List<Long> settled = new ArrayList<>();
        List<UUID> jobPayments = new ArrayList<>();
        List<NewJob> jobs = new ArrayList<>();
        List<Reuse> reusing = new ArrayList<>();
        List<CheckBecomes> checksBecoming = new ArrayList<>();
        Integer[] order = java.util.stream.IntStream.range(0, changes.size()).boxed()
                .sorted(java.util.Comparator.comparing(i -> changes.get(i).id())).toArray(Integer[]::new);
        changeStates(h, changes, order, moved);
        Map<Long, Integer> settling = new java.util.HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            if (moved[i] != null && changes.get(i).settlesJob() != null) {
                settling.merge(changes.get(i).settlesJob(), 1, Integer::sum);
            }
        }
        for (int i : order) {
            StateChange change = changes.get(i);
            Payment p = moved[i];
            if (p == null) {
                continue;
            }
            change.ledger().apply(p).forEach(op -> postings.add(new LedgerSql.Entry(change.id(), op)));
            if (p.state().isFinal()) {
                nowFinal.add(p.id());
            }
            if (reusable(change) && settling.get(change.settlesJob()) == 1) {
                reusing.add(new Reuse(change.settlesJob(), change.id(), change.jobs().getFirst()));
                continue;
            }
            if (p.state().isFinal() && takesCheckRow(change)) {
                checksBecoming.add(new CheckBecomes(change.id(), change.jobs().getFirst()));
                continue;
            }
            if (change.settlesJob() != null) {
                settled.add(change.settlesJob());
            }
            for (NewJob j : change.jobs()) {
                jobPayments.add(change.id());
                jobs.add(j);
            }
        }
        // A job the change settles whose row could not be reused (no longer pending) is settled
        // already; its change's job is added as a new row.
        for (Reuse r : reuseJobs(h, reusing)) {
            jobPayments.add(r.paymentId());
            jobs.add(r.job());
        }
        // A final payment's pending status check becomes its webhook where no node holds it; the rest are new rows.
        List<Job> leasedJobs = new ArrayList<>();
        for (CheckBecomes b : checksToJobs(h, checksBecoming, leasedJobs)) {
            jobPayments.add(b.paymentId());
            jobs.add(b.job());
        }
        leasedJobs.addAll(insertJobs(h, jobPayments, jobs));
        // A payment changed twice in one batch may lease a job of the same kind twice: each change takes one.
        Map<String, java.util.ArrayDeque<Job>> leased = new java.util.HashMap<>();
        for (Job job : leasedJobs) {
            leased.computeIfAbsent(jobKey(job.paymentId(), job.kind()), k -> new java.util.ArrayDeque<>()).add(job);
        }
        completeAll(h, settled);
        closeChecks(h, nowFinal);
        // The ledger last: its accounts' rows (a hot wallet's, a merchant's) stay locked from here
        // to the commit, and every batch that moves the same account waits for them.
        ledgerSql.applyAll(h, postings);
        @SuppressWarnings("unchecked")
        Optional<Transitioned>[] results = new Optional[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            if (moved[i] == null) {
                results[i] = Optional.empty();
                continue;
            }
            List<Job> mine = new ArrayList<>();
            for (NewJob j : changes.get(i).jobs()) {
                if (j.leaseHere()) {
                    java.util.ArrayDeque<Job> q = leased.get(jobKey(moved[i].id(), j.kind()));
                    if (q != null && !q.isEmpty()) {
                        mine.add(q.poll());
                    }
                }
            }
            results[i] = Optional.of(new Transitioned(moved[i], mine));
        }
        return List.of(results);
    }

    /**
     * A change that settles the job doing its work and adds one later job, not leased here (a
     * SUBMIT answered by its operator adds the payment's CHECK, a CHECK may add the next): the
     * settled job's row becomes the new job, one update instead of an update and an insert (issue
     * 14: a row and three index entries fewer per deposit). A job settled by two changes of one
     * batch is settled as before ({@link #transitionAll(Handle, List)} counts them).
     */
    private static boolean reusable(StateChange change) {
        return change.settlesJob() != null && change.jobs().size() == 1 && !change.jobs().getFirst().leaseHere();
    }

    /** The row of the job {@code settled} (of payment {@code paymentId}) to become {@code job}. */
    private record Reuse(long settled, UUID paymentId, NewJob job) {
    }

    /**
     * Turns each pending settled job into its new job (its kind, due time and payload; not leased,
     * no attempts yet) in one statement; answers those whose row was not pending, whose new jobs
     * must be added as new rows.
     */
    private static List<Reuse> reuseJobs(Handle h, List<Reuse> reuses) throws java.sql.SQLException {
        if (reuses.isEmpty()) {
            return List.of();
        }
        java.sql.Connection c = h.getConnection();
        java.util.Set<Long> reused = new java.util.HashSet<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("""
                UPDATE outbox o SET kind = u.kind, due_at = CAST(u.due AS timestamptz), payload = u.payload,
                    attempts = 0, lease_owner = NULL, lease_until = NULL, last_error = NULL
                FROM unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                    AS u(id, kind, due, payload)
                WHERE o.id = u.id AND (o.state || '') = 'PENDING'
                RETURNING o.id""")) {
            Jdbc.bind(ps, c.createArrayOf("bigint", reuses.stream().map(Reuse::settled).toArray(Long[]::new)),
                    Jdbc.texts(c, reuses, r -> r.job().kind().name()), Jdbc.texts(c, reuses, r -> r.job().dueAt()),
                    Jdbc.texts(c, reuses, r -> r.job().payload()));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reused.add(rs.getLong(1));
                }
            }
        }
        return reuses.stream().filter(r -> !reused.contains(r.settled())).toList();
    }

    /**
     * A change that makes its payment final without settling a job and adds one job leased here
     * (an operator's callback completes a deposit and adds its webhook): the payment's pending
     * status check, which the final state would close, becomes that job instead (issue 14: one
     * row and its index entries fewer per deposit, ADR 27).
     */
    private static boolean takesCheckRow(StateChange change) {
        return change.settlesJob() == null && change.jobs().size() == 1 && change.jobs().getFirst().leaseHere();
    }

    /** A final payment whose pending status check is to become {@code job}. */
    private record CheckBecomes(UUID paymentId, NewJob job) {
    }

    /**
     * Turns, in one statement, one pending status check of each payment that no node holds (no
     * lease owner: not queued or running anywhere) into its new job, leased here as a new row would
     * be, with a new creation time (a webhook's retries count from it); adds those jobs to {@code
     * leasedOut} and answers the changes that found no such check, whose jobs are added as rows.
     * The conditions are repeated on the updated row so that a claim committed meanwhile by
     * another node wins (PostgreSQL checks them again on the row it waited for).
     */
    private List<CheckBecomes> checksToJobs(Handle h, List<CheckBecomes> changes, List<Job> leasedOut)
            throws java.sql.SQLException {
        if (changes.isEmpty()) {
            return List.of();
        }
        java.sql.Connection c = h.getConnection();
        java.util.Set<UUID> became = new java.util.HashSet<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement(CHECKS_TO_JOBS)) {
            Jdbc.bind(ps, nodeId, (double) handOffLease.toMillis() / 1000.0,
                    Jdbc.texts(c, changes, b -> b.paymentId().toString()), Jdbc.texts(c, changes, b -> b.job().kind().name()),
                    Jdbc.texts(c, changes, b -> b.job().dueAt()), Jdbc.texts(c, changes, b -> b.job().payload()));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Job job = PaymentRows.job(rs);
                    leasedOut.add(job);
                    became.add(job.paymentId());
                }
            }
        }
        return changes.stream().filter(b -> !became.remove(b.paymentId())).toList();
    }

    private static final String CHECKS_TO_JOBS = """
            UPDATE outbox o SET kind = u.new_kind, due_at = CAST(u.new_due AS timestamptz), payload = u.new_payload,
                attempts = 1, lease_owner = ?, lease_until = now() + make_interval(secs => ?), last_error = NULL,
                created_at = now()
            FROM (SELECT DISTINCT ON (x.pid) x.pid, x.new_kind, x.new_due, x.new_payload, ob.id AS check_id
                  FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                      AS x(pid, new_kind, new_due, new_payload)
                  JOIN outbox ob ON ob.payment_id = CAST(x.pid AS uuid) AND ob.kind = 'CHECK'
                  WHERE (ob.state || '') = 'PENDING' AND ob.lease_owner IS NULL
                  ORDER BY x.pid, ob.id) AS u
            WHERE o.id = u.check_id AND o.kind = 'CHECK' AND (o.state || '') = 'PENDING' AND o.lease_owner IS NULL
            RETURNING\s""" + PaymentRows.JOB_COLUMNS;

    private static String jobKey(UUID paymentId, JobKind kind) {
        return paymentId + "/" + kind.name();
    }

    /** The jobs in {@code jobs} (each of the payment at the same index) in one statement; answers the ones leased here. */
    private List<Job> insertJobs(Handle h, List<UUID> payments, List<NewJob> jobs) throws java.sql.SQLException {
        List<Job> leased = new ArrayList<>();
        if (jobs.isEmpty()) {
            return leased;
        }
        java.sql.Connection c = h.getConnection();
        try (java.sql.PreparedStatement ps = c.prepareStatement(INSERT_JOBS)) {
            Jdbc.bind(ps, (double) handOffLease.toMillis() / 1000.0, Jdbc.texts(c, jobs, j -> j.kind().name()),
                    Jdbc.texts(c, payments, UUID::toString), Jdbc.texts(c, jobs, NewJob::dueAt),
                    Jdbc.texts(c, jobs, NewJob::payload), Jdbc.texts(c, jobs, j -> j.leaseHere() ? nodeId : null));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString("lease_owner") != null) {
                        leased.add(PaymentRows.job(rs));
                    }
                }
            }
        }
        return leased;
    }

    /** Every new job of a write in one statement, from arrays (issue 14: it was one INSERT per job). */
    private static final String INSERT_JOBS = """
            INSERT INTO outbox (kind, payment_id, subject_kind, subject_id, due_at, payload, lease_owner,
                                lease_until, attempts)
            SELECT j.kind, CAST(j.p AS uuid), 'payment', j.p, CAST(j.due AS timestamptz), j.payload, j.owner,
                   CASE WHEN j.owner IS NULL THEN NULL ELSE now() + make_interval(secs => ?) END,
                   CASE WHEN j.owner IS NULL THEN 0 ELSE 1 END
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[])) AS j(kind, p, due, payload, owner)
            RETURNING lease_owner,\s""" + PaymentRows.JOB_COLUMNS;

    /**
     * A payment that reached its final state needs no more status checks: its pending CHECK jobs
     * are done in the same transaction, one statement for the batch, instead of being claimed and
     * run for nothing later (ADR 14). A check already under way finds the payment final and stops.
     * <p>
     * {@code (state || '') = 'PENDING'} instead of {@code state = 'PENDING'} here and in the other
     * updates of jobs by a list of ids: with the plain predicate PostgreSQL's generic plan may scan
     * the partial index of pending jobs ({@code outbox_due_idx}), whose size its statistics
     * underestimate under load (thousands of pending status checks), and a batch's update took
     * 20 ms instead of well under one (issue 14, bench/README.md, session 11). The expression
     * leaves it only the index by payment or by id.
     */
    private static void closeChecks(Handle h, List<UUID> finalPayments) throws java.sql.SQLException {
        if (finalPayments.isEmpty()) {
            return;
        }
        try (java.sql.PreparedStatement ps = Jdbc.prepare(h, """
                UPDATE outbox SET state = 'DONE', finished_at = now(), lease_owner = NULL, lease_until = NULL
                WHERE payment_id = ANY(CAST(CAST(? AS text[]) AS uuid[])) AND kind = 'CHECK'
                  AND (state || '') = 'PENDING'""")) {
            Jdbc.bind(ps, Jdbc.texts(h.getConnection(), finalPayments, UUID::toString));
            ps.executeUpdate();
        }
    }

    /**
     * Runs the batch's state changes, answering in {@code moved} the payment each one moved (null
     * where its payment was not in a state it may leave for the new one). One statement per round
     * (issue 14: it was one per change): the first change of each payment in the first round, a
     * payment's second change of the batch in the second, and so on, so that each sees the one
     * before it; payments are locked in id order.
     */
    private static void changeStates(Handle h, List<StateChange> changes, Integer[] order, Payment[] moved)
            throws java.sql.SQLException {
        for (List<Integer> round : Jdbc.rounds(java.util.Arrays.asList(order), i -> changes.get(i).id())) {
            changeRound(h, changes, round, moved);
        }
    }

    private static void changeRound(Handle h, List<StateChange> changes, List<Integer> round, Payment[] moved)
            throws java.sql.SQLException {
        java.sql.Connection c = h.getConnection();
        List<StateChange> r = round.stream().map(changes::get).toList();
        try (java.sql.PreparedStatement ps = c.prepareStatement(CHANGE_STATES)) {
            Jdbc.bind(ps, Jdbc.texts(c, r, StateChange::id), Jdbc.texts(c, r, sc -> sc.to().name()),
                    Jdbc.texts(c, r, sc -> sc.change().providerRef()),
                    Jdbc.texts(c, r, sc -> sc.change().processedAmount() == null ? null
                            : sc.change().processedAmount().toPlainString()),
                    Jdbc.texts(c, r, JdbiPaymentStore::failureName),
                    Jdbc.texts(c, r, sc -> sc.change().failureMessage()),
                    Jdbc.texts(c, r, sc -> sc.change().respondedAt()),
                    Jdbc.texts(c, r, sc -> sc.change().correspondentIds() == null ? null
                            : Json.write(sc.change().correspondentIds())),
                    Jdbc.texts(c, r, sc -> SOURCES.get(sc.to())), Jdbc.texts(c, r, sc -> sc.change().event()),
                    Jdbc.texts(c, r, JdbiPaymentStore::failureName));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    moved[round.get(rs.getInt("change_n") - 1)] = PaymentRows.payment(rs);
                }
            }
        }
    }

    private static String failureName(StateChange sc) {
        return sc.change().failureCode() == null ? null : sc.change().failureCode().name();
    }

    /** Per state, the states a payment may reach it from, comma-separated, as {@link #CHANGE_STATES} reads them. */
    private static final Map<PaymentState, String> SOURCES = java.util.Arrays.stream(PaymentState.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(to -> to, to -> Transitions.sourcesOf(to)
                    .stream().map(Enum::name).sorted().collect(java.util.stream.Collectors.joining(","))));

    /**
     * Changes of distinct payments from arrays, one row of each array per change: each payment is
     * locked (in id order), moved only from a state the transition table allows ({@code sources}),
     * and its history row written; the moved rows come back with the change's place in the arrays.
     */
    private static final String CHANGE_STATES = """
                        WITH i AS (
                            SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                                 CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                                 CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                                 CAST(? AS text[]), CAST(? AS text[]))
                                WITH ORDINALITY AS i(id, state, provider_ref, processed_amount, failure_code,
                                                     failure_message, responded_at, correspondent_ids, sources,
                                                     event, detail, n)),
                        old AS (SELECT p.id, p.state FROM payment p
                                WHERE p.id = ANY(SELECT CAST(i.id AS uuid) FROM i) ORDER BY p.id FOR UPDATE),
                        upd AS (
                            UPDATE payment p SET state = i.state,
                                provider_ref = COALESCE(i.provider_ref, p.provider_ref),
                                processed_amount = COALESCE(CAST(i.processed_amount AS numeric), p.processed_amount),
                                failure_code = COALESCE(i.failure_code, p.failure_code),
                                failure_message = COALESCE(i.failure_message, p.failure_message),
                                responded_at = COALESCE(CAST(i.responded_at AS timestamptz), p.responded_at),
                                correspondent_ids = COALESCE(CAST(i.correspondent_ids AS jsonb), p.correspondent_ids),
                                updated_at = now()
                            FROM i JOIN old ON old.id = CAST(i.id AS uuid)
                            WHERE p.id = old.id AND old.state = ANY(string_to_array(i.sources, ','))
                            RETURNING\s""" + PaymentRows.columns("p.") + """
                            , old.state AS from_state, i.n AS change_n, i.event AS change_event,
                              i.detail AS change_detail),
                        ev AS (
                            INSERT INTO payment_event (payment_id, from_state, to_state, event, detail)
                            SELECT id, from_state, state, change_event, change_detail FROM upd ORDER BY change_n)
                        SELECT * FROM upd""";

    @Override
    public void note(UUID paymentId, String event, String detail) {
        jdbi.useHandle(h -> appendEvent(h, paymentId, null, null, event, detail));
    }

    private static void appendEvent(Handle h, UUID paymentId, PaymentState from, PaymentState to, String event,
                                    String detail) {
        Jdbc.run("append history", () -> {
            insertEvents(h, List.of(new Event(paymentId, from, to, event, detail)));
            return null;
        });
    }

    private List<Job> addJobs(Handle h, UUID paymentId, List<NewJob> jobs) {
        return Jdbc.run("add jobs", () -> insertJobs(h, java.util.Collections.nCopies(jobs.size(), paymentId), jobs));
    }

    /**
     * Claims due jobs whose lease is free: never taken, run out, or held by another node that is
     * dead (its heartbeat is older than {@link NodeHeartbeat#DEAD_AFTER} or it stopped cleanly,
     * ADR 11). The nodes are a small table read once per claim, so the scan of the due index is
     * the same as before; this node's own leases free only when they run out, so that a stall of
     * its own heartbeat never makes it run its own jobs twice.
     */
    @Override
    public List<Job> claim(JobKind kind, int limit, Duration lease) {
        return sessions.withConnection("claim jobs", c -> Jdbc.query(c, CLAIM, PaymentRows::job, nodeId,
                (double) lease.toMillis() / 1000.0, kind.name(), nodeId,
                (double) NodeHeartbeat.DEAD_AFTER.toMillis() / 1000.0, limit));
    }

    private static final String CLAIM = """
            UPDATE outbox SET lease_owner = ?, lease_until = now() + make_interval(secs => ?),
                attempts = attempts + 1
            WHERE id IN (SELECT id FROM outbox
                         WHERE kind = ? AND state = 'PENDING' AND due_at <= now()
                           AND (lease_until IS NULL OR lease_until < now()
                                OR lease_owner IN (SELECT n.id FROM node n WHERE n.id <> ?
                                    AND (n.stopped_at IS NOT NULL
                                         OR n.heartbeat_at < now() - make_interval(secs => ?))))
                         ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING\s""" + PaymentRows.JOB_COLUMNS;

    @Override
    public void complete(long jobId) {
        finish(jobId, "DONE", null);
    }

    @Override
    public void completeAll(List<Long> jobIds) {
        sessions.withConnection("complete jobs", c -> {
            completeAll(c, jobIds);
            return null;
        });
    }

    private static void completeAll(Handle h, List<Long> jobIds) throws java.sql.SQLException {
        completeAll(h.getConnection(), jobIds);
    }

    private static void completeAll(java.sql.Connection c, List<Long> jobIds) throws java.sql.SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
        try (java.sql.PreparedStatement ps = c.prepareStatement("""
                UPDATE outbox SET state = 'DONE', finished_at = now(), lease_owner = NULL, lease_until = NULL
                WHERE id = ANY(?) AND (state || '') = 'PENDING'""")) {
            ps.setArray(1, c.createArrayOf("bigint", jobIds.toArray(Long[]::new)));
            ps.executeUpdate();
        }
    }

    @Override
    public void extendLeases(List<Long> jobIds, Duration lease) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE outbox SET lease_until = now() + make_interval(secs => :lease)
                        WHERE id = ANY(:ids) AND (state || '') = 'PENDING' AND lease_owner = :owner""")
                .bind("lease", (double) lease.toMillis() / 1000.0).bind("owner", nodeId)
                .bindArray("ids", Long.class, jobIds.toArray(Long[]::new)).execute());
    }

    @Override
    public void giveUp(long jobId, String error) {
        finish(jobId, "FAILED", error);
    }

    private void finish(long jobId, String state, String error) {
        jdbi.useHandle(h -> finish(h, jobId, state, error));
    }

    private static void finish(Handle h, long jobId, String state, String error) {
        h.createUpdate("""
                        UPDATE outbox SET state = :state, last_error = COALESCE(:error, last_error),
                            finished_at = now(), lease_owner = NULL, lease_until = NULL
                        WHERE id = :id AND state = 'PENDING'""")
                .bind("state", state).bind("error", error).bind("id", jobId).execute();
    }

    @Override
    public void retry(long jobId, Instant dueAt, String error) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE outbox SET due_at = :due, last_error = :error, lease_owner = NULL, lease_until = NULL
                        WHERE id = :id AND state = 'PENDING'""")
                .bind("due", PaymentRows.ts(dueAt)).bind("error", error).bind("id", jobId).execute());
    }

    @Override
    public List<Job> enqueue(UUID paymentId, NewJob job) {
        return jdbi.withHandle(h -> addJobs(h, paymentId, List.of(job)));
    }

    @Override
    public Optional<JobSummary> latestJob(UUID paymentId, JobKind kind) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, state FROM outbox WHERE payment_id = :p AND kind = :k ORDER BY id DESC LIMIT 1""")
                .bind("p", paymentId).bind("k", kind.name())
                .map((rs, ctx) -> new JobSummary(rs.getLong("id"), rs.getString("state"))).findOne());
    }

    @Override
    public List<String> history(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT coalesce(from_state, '-') || '>' || coalesce(to_state, '-') || ' ' || event "
                                + "FROM payment_event WHERE payment_id = :p ORDER BY id")
                .bind("p", paymentId).mapTo(String.class).list());
    }

    /** How many payments are in each state. */
    public java.util.Map<String, Long> countByState() {
        return jdbi.withHandle(h -> h.createQuery("SELECT state, count(*) AS n FROM payment GROUP BY state")
                .reduceRows(new java.util.HashMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("state", String.class), row.getColumn("n", Long.class));
                    return map;
                }));
    }
}
