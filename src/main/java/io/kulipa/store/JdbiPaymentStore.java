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
    private final LedgerSql ledgerSql = new LedgerSql();
    private final String nodeId;
    private final Duration handOffLease;

    /**
     * @param nodeId       this process's name in job leases
     * @param handOffLease how long a job committed here stays reserved for this node
     */
    public JdbiPaymentStore(Jdbi jdbi, String nodeId, Duration handOffLease) {
        this.jdbi = jdbi;
        this.nodeId = nodeId;
        this.handOffLease = handOffLease;
    }

    /**
     * Writes a batch in a global order, so that two batches never wait on each other in a
     * circle: first the deposits being refunded (by id), then every account the batch reserves
     * from (by code), then the payments themselves sorted by their client key. A deadlock or
     * serialisation failure that slips through anyway is retried a few times.
     */
    @Override
    public List<Inserted> insertAll(List<NewPayment> batch) {
        boolean refunds = batch.stream().anyMatch(n -> n.refundableTotal() != null);
        return Retrying.onConflict(() -> jdbi.inTransaction(h -> refunds ? writeOneByOne(h, batch)
                : writeTogether(h, batch)));
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
     */
    private List<Inserted> writeTogether(Handle h, List<NewPayment> batch) {
        List<LedgerOp.Reserve> reserves = batch.stream().map(NewPayment::reservation)
                .filter(java.util.Objects::nonNull).toList();
        LedgerSql.Reservations reservations = ledgerSql.openReservations(h, reserves);
        List<Integer> order = sortedByClientKey(batch).toList();
        org.jdbi.v3.core.statement.PreparedBatch rows = h.prepareBatch(INSERT_PAYMENT);
        for (int i : order) {
            rows.bindMap(paymentParams(batch.get(i).payment())).add();
        }
        int[] inserted = rows.execute();
        Inserted[] results = new Inserted[batch.size()];
        Payment[] stored = new Payment[batch.size()];
        List<NewJob>[] jobs = newJobArray(batch.size());
        org.jdbi.v3.core.statement.PreparedBatch events = h.prepareBatch("""
                INSERT INTO payment_event (payment_id, from_state, to_state, event, detail)
                VALUES (:p, :from, :to, :event, :detail)""");
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            NewPayment n = batch.get(i);
            Payment p = n.payment();
            if (inserted[k] == 0) {
                results[i] = new Inserted.Duplicate(find(h, p.merchantId(), p.dialect(), p.kind(), p.clientRef()).orElseThrow());
                continue;
            }
            stored[i] = p;
            jobs[i] = n.jobs();
            events.bind("p", p.id()).bind("from", (String) null).bind("to", p.state().name())
                    .bind("event", p.state().name()).bind("detail", (String) null).add();
            if (n.reservation() != null && !reservations.tryReserve(p.id(), n.reservation())) {
                stored[i] = p.withOutcome(PaymentState.FAILED, n.insufficientFunds(),
                        "The merchant's wallet does not have the funds for this payment", p.created());
                setOutcome(h, stored[i]);
                events.bind("p", p.id()).bind("from", p.state().name()).bind("to", PaymentState.FAILED.name())
                        .bind("event", "FUNDS_NOT_AVAILABLE").bind("detail", n.insufficientFunds().name()).add();
                jobs[i] = List.of(new NewJob(JobKind.WEBHOOK, p.created(), null, true));
            }
        }
        if (events.size() > 0) {
            events.execute();
        }
        Map<UUID, List<Job>> leased = addJobsTogether(h, stored, jobs);
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

    /** The jobs of many new payments in one JDBC batch; returns the ones leased to this node, by payment. */
    private Map<UUID, List<Job>> addJobsTogether(Handle h, Payment[] payments, List<NewJob>[] jobs) {
        org.jdbi.v3.core.statement.PreparedBatch batch = h.prepareBatch("""
                INSERT INTO outbox (kind, payment_id, subject_kind, subject_id, due_at, payload, lease_owner,
                                    lease_until, attempts)
                VALUES (:kind, :p, 'payment', CAST(:p AS text), :due, :payload, :owner,
                        CASE WHEN CAST(:owner AS text) IS NULL THEN NULL ELSE now() + make_interval(secs => :lease) END,
                        CASE WHEN CAST(:owner AS text) IS NULL THEN 0 ELSE 1 END)""");
        java.util.Set<String> leasedKeys = new java.util.HashSet<>();
        for (int i = 0; i < payments.length; i++) {
            if (payments[i] == null) {
                continue;
            }
            for (NewJob j : jobs[i]) {
                batch.bind("kind", j.kind().name()).bind("p", payments[i].id()).bind("due", PaymentRows.ts(j.dueAt()))
                        .bind("payload", j.payload()).bind("owner", j.leaseHere() ? nodeId : null)
                        .bind("lease", (double) handOffLease.toMillis() / 1000.0).add();
                if (j.leaseHere()) {
                    leasedKeys.add(payments[i].id() + "/" + j.kind());
                }
            }
        }
        Map<UUID, List<Job>> leased = new java.util.HashMap<>();
        if (batch.size() == 0) {
            return leased;
        }
        batch.executePreparedBatch("id", "kind", "subject_kind", "subject_id", "payment_id", "attempts",
                        "payload", "created_at")
                .map(PaymentRows.JOB).forEach(job -> {
                    if (leasedKeys.contains(job.paymentId() + "/" + job.kind())) {
                        leased.computeIfAbsent(job.paymentId(), id -> new ArrayList<>()).add(job);
                    }
                });
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
        if (insertRow(h, p) == 0) {
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

    private static final String INSERT_PAYMENT = """
            INSERT INTO payment (id, merchant_id, kind, client_ref, dialect, state, amount, amount_text,
                currency, country, correspondent, msisdn, customer_timestamp, statement_description,
                pre_authorisation_code, metadata, fingerprint, callback_url, created_at, updated_at,
                related_payment_id)
            VALUES (:id, :merchantId, :kind, :clientRef, :dialect, :state, :amount, :amountText, :currency,
                :country, :correspondent, :msisdn, :customerTimestamp, :statementDescription,
                :preAuthorisationCode, CAST(:metadata AS jsonb), :fingerprint, :callbackUrl, :created,
                :created, :related)
            ON CONFLICT ON CONSTRAINT payment_client_ref_unique DO NOTHING""";

    private static java.util.Map<String, Object> paymentParams(Payment p) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("id", p.id());
        m.put("merchantId", p.merchantId());
        m.put("kind", p.kind().name());
        m.put("clientRef", p.clientRef());
        m.put("dialect", p.dialect());
        m.put("state", p.state().name());
        m.put("amount", p.amount());
        m.put("amountText", p.amountText());
        m.put("currency", p.currency());
        m.put("country", p.country());
        m.put("correspondent", p.correspondent());
        m.put("msisdn", p.msisdn());
        m.put("customerTimestamp", p.customerTimestamp());
        m.put("statementDescription", p.statementDescription());
        m.put("preAuthorisationCode", p.preAuthorisationCode());
        m.put("metadata", Json.write(p.metadata()));
        m.put("fingerprint", p.fingerprint());
        m.put("callbackUrl", p.callbackUrl());
        m.put("created", PaymentRows.ts(p.created()));
        m.put("related", p.relatedPaymentId());
        return m;
    }

    private static int insertRow(Handle h, Payment p) {
        return h.createUpdate(INSERT_PAYMENT).bindMap(paymentParams(p)).execute();
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
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PaymentRows.COLUMNS + " FROM payment WHERE id = :id")
                .bind("id", id).map(PaymentRows.PAYMENT).findOne());
    }

    @Override
    public BigDecimal refundedSoFar(UUID depositId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT coalesce(sum(amount), 0) FROM payment
                        WHERE related_payment_id = :d AND kind = 'REFUND' AND state <> 'FAILED'""")
                .bind("d", depositId).mapTo(BigDecimal.class).one());
    }

    @Override
    public List<Payment> enqueued(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PaymentRows.COLUMNS
                        + " FROM payment WHERE state = 'ENQUEUED' ORDER BY created_at LIMIT :limit")
                .bind("limit", limit).map(PaymentRows.PAYMENT).list());
    }

    @Override
    public void recordRepeat(UUID paymentId, String fingerprint, boolean sameBody) {
        note(paymentId, sameBody ? "REPEAT_SAME_BODY_IGNORED" : "REPEAT_DIFFERENT_BODY_IGNORED",
                "fingerprint " + fingerprint);
    }

    /** Payments are locked in id order and accounts in code order, so batches never deadlock each other. */
    @Override
    public List<Optional<Transitioned>> transitionAll(List<StateChange> changes) {
        return Retrying.onConflict(() -> jdbi.inTransaction(h -> {
            @SuppressWarnings("unchecked")
            Optional<Transitioned>[] results = new Optional[changes.size()];
            List<LedgerSql.Entry> postings = new ArrayList<>();
            List<UUID> nowFinal = new ArrayList<>();
            java.util.stream.IntStream.range(0, changes.size()).boxed()
                    .sorted(java.util.Comparator.comparing(i -> changes.get(i).id()))
                    .forEach(i -> {
                        StateChange change = changes.get(i);
                        Optional<Payment> moved = changeState(h, change);
                        results[i] = moved.map(p -> {
                            change.ledger().apply(p).forEach(op -> postings.add(new LedgerSql.Entry(change.id(), op)));
                            if (p.state().isFinal()) {
                                nowFinal.add(p.id());
                            }
                            if (change.settlesJob() != null) {
                                finish(h, change.settlesJob(), "DONE", null);
                            }
                            return new Transitioned(p, addJobs(h, change.id(), change.jobs()));
                        });
                    });
            ledgerSql.applyAll(h, postings);
            closeChecks(h, nowFinal);
            return List.of(results);
        }));
    }

    /**
     * A payment that reached its final state needs no more status checks: its pending CHECK jobs
     * are done in the same transaction, one statement for the batch, instead of being claimed and
     * run for nothing later (ADR 14). A check already under way finds the payment final and stops.
     */
    private static void closeChecks(Handle h, List<UUID> finalPayments) {
        if (finalPayments.isEmpty()) {
            return;
        }
        h.createUpdate("""
                        UPDATE outbox SET state = 'DONE', finished_at = now(), lease_owner = NULL, lease_until = NULL
                        WHERE payment_id = ANY(:ids) AND kind = 'CHECK' AND state = 'PENDING'""")
                .bindArray("ids", UUID.class, finalPayments.toArray(UUID[]::new)).execute();
    }

    /** Built once: the statement of every state change (issue 14: it was rebuilt per change). */
    private static final String CHANGE_STATE = """
                        WITH old AS (SELECT id, state FROM payment WHERE id = :id FOR UPDATE),
                        upd AS (
                            UPDATE payment p SET state = :to,
                                provider_ref = COALESCE(:providerRef, p.provider_ref),
                                processed_amount = COALESCE(:processed, p.processed_amount),
                                failure_code = COALESCE(:failureCode, p.failure_code),
                                failure_message = COALESCE(:failureMessage, p.failure_message),
                                responded_at = COALESCE(:respondedAt, p.responded_at),
                                correspondent_ids = COALESCE(CAST(:ids AS jsonb), p.correspondent_ids),
                                updated_at = now()
                            FROM old WHERE p.id = old.id AND old.state = ANY(:sources)
                            RETURNING\s""" + PaymentRows.columns("p.") + """
                            , old.state AS from_state),
                        ev AS (
                            INSERT INTO payment_event (payment_id, from_state, to_state, event, detail)
                            SELECT id, from_state, state, :event, :detail FROM upd)
                        SELECT * FROM upd""";

    /** Lock, conditional update and history in one statement: one round trip for the change. */
    private static Optional<Payment> changeState(Handle h, StateChange sc) {
        String[] sources = Transitions.sourcesOf(sc.to()).stream().map(Enum::name).toArray(String[]::new);
        PaymentChange c = sc.change();
        return h.createQuery(CHANGE_STATE)
                .bind("id", sc.id()).bind("to", sc.to().name()).bind("sources", sources)
                .bind("providerRef", c.providerRef()).bind("processed", c.processedAmount())
                .bind("failureCode", c.failureCode() == null ? null : c.failureCode().name())
                .bind("failureMessage", c.failureMessage()).bind("respondedAt", PaymentRows.ts(c.respondedAt()))
                .bind("ids", c.correspondentIds() == null ? null : Json.write(c.correspondentIds()))
                .bind("event", c.event()).bind("detail", c.failureCode() == null ? null : c.failureCode().name())
                .map(PaymentRows.PAYMENT).findOne();
    }

    @Override
    public void note(UUID paymentId, String event, String detail) {
        jdbi.useHandle(h -> appendEvent(h, paymentId, null, null, event, detail));
    }

    private static void appendEvent(Handle h, UUID paymentId, PaymentState from, PaymentState to, String event,
                                    String detail) {
        h.createUpdate("INSERT INTO payment_event (payment_id, from_state, to_state, event, detail) "
                        + "VALUES (:p, :from, :to, :event, :detail)")
                .bind("p", paymentId).bind("from", from == null ? null : from.name())
                .bind("to", to == null ? null : to.name()).bind("event", event).bind("detail", detail)
                .execute();
    }

    private List<Job> addJobs(Handle h, UUID paymentId, List<NewJob> jobs) {
        List<Job> leased = new ArrayList<>();
        for (NewJob j : jobs) {
            Job job = h.createQuery("""
                    INSERT INTO outbox (kind, payment_id, subject_kind, subject_id, due_at, payload, lease_owner,
                                        lease_until, attempts)
                    VALUES (:kind, :p, 'payment', CAST(:p AS text), :due, :payload, :owner,
                            CASE WHEN CAST(:owner AS text) IS NULL THEN NULL ELSE now() + make_interval(secs => :lease) END,
                            CASE WHEN CAST(:owner AS text) IS NULL THEN 0 ELSE 1 END)
                    RETURNING\s""" + PaymentRows.JOB_COLUMNS)
                    .bind("kind", j.kind().name()).bind("p", paymentId).bind("due", PaymentRows.ts(j.dueAt()))
                    .bind("payload", j.payload()).bind("owner", j.leaseHere() ? nodeId : null)
                    .bind("lease", (double) handOffLease.toMillis() / 1000.0)
                    .map(PaymentRows.JOB).one();
            if (j.leaseHere()) {
                leased.add(job);
            }
        }
        return leased;
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
        return jdbi.inTransaction(h -> h.createQuery("""
                        UPDATE outbox SET lease_owner = :owner, lease_until = now() + make_interval(secs => :lease),
                            attempts = attempts + 1
                        WHERE id IN (SELECT id FROM outbox
                                     WHERE kind = :kind AND state = 'PENDING' AND due_at <= now()
                                       AND (lease_until IS NULL OR lease_until < now()
                                            OR lease_owner IN (SELECT n.id FROM node n WHERE n.id <> :owner
                                                AND (n.stopped_at IS NOT NULL
                                                     OR n.heartbeat_at < now() - make_interval(secs => :deadAfter))))
                                     ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                        RETURNING\s""" + PaymentRows.JOB_COLUMNS)
                .bind("owner", nodeId).bind("lease", (double) lease.toMillis() / 1000.0)
                .bind("deadAfter", (double) NodeHeartbeat.DEAD_AFTER.toMillis() / 1000.0)
                .bind("kind", kind.name()).bind("limit", limit)
                .map(PaymentRows.JOB).list());
    }

    @Override
    public void complete(long jobId) {
        finish(jobId, "DONE", null);
    }

    @Override
    public void completeAll(List<Long> jobIds) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE outbox SET state = 'DONE', finished_at = now(), lease_owner = NULL, lease_until = NULL
                        WHERE id = ANY(:ids) AND state = 'PENDING'""")
                .bindArray("ids", Long.class, jobIds.toArray(Long[]::new)).execute());
    }

    @Override
    public void extendLeases(List<Long> jobIds, Duration lease) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE outbox SET lease_until = now() + make_interval(secs => :lease)
                        WHERE id = ANY(:ids) AND state = 'PENDING' AND lease_owner = :owner""")
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
