package io.kulipa.store;

import io.kulipa.callbacks.CallbackAttempts;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Callback attempts of every subject in PostgreSQL ({@code callback_attempt}), settled with their job. */
public final class JdbiCallbackAttempts implements CallbackAttempts {

    private final Jdbi jdbi;
    private final CallbackOutbox outbox;

    /** @param outbox where the UNACKNOWLEDGED job of a callback that finally failed is added */
    public JdbiCallbackAttempts(Jdbi jdbi, CallbackOutbox outbox) {
        this.jdbi = jdbi;
        this.outbox = outbox;
    }

    @Override
    public void record(Job job, Attempt a, Settlement settlement) {
        recordAll(List.of(new Recorded(job, a, settlement)));
    }

    /**
     * Every attempt of the batch in one INSERT and every job's settlement in one UPDATE, both from
     * arrays, then the UNACKNOWLEDGED jobs, in one transaction (issue 14: it was one statement per
     * attempt and one per settlement in two JDBC batches, and PostgreSQL runs each row of a JDBC
     * batch as a statement of its own).
     */
    @Override
    public void recordAll(List<Recorded> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            Jdbc.run("record callback attempts", () -> {
                insertAttempts(h.getConnection(), attempts);
                return null;
            });
            boolean[] settled = Jdbc.run("settle callback jobs", () -> settle(h.getConnection(), attempts));
            for (int i = 0; i < attempts.size(); i++) {
                Recorded r = attempts.get(i);
                if (settled[i] && r.settlement().unacknowledged()) {
                    outbox.add(h, JobKind.UNACKNOWLEDGED, r.job().subjectKind(), r.job().subjectId(),
                            r.job().paymentId(), r.settlement().error());
                }
            }
        });
    }

    private static void insertAttempts(Connection c, List<Recorded> attempts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_ATTEMPTS)) {
            Jdbc.bind(ps, Jdbc.texts(c, attempts, r -> r.job().id()),
                    Jdbc.texts(c, attempts, r -> r.job().subjectKind()),
                    Jdbc.texts(c, attempts, r -> r.job().subjectId()),
                    Jdbc.texts(c, attempts, r -> r.job().paymentId()),
                    Jdbc.texts(c, attempts, r -> r.attempt().url()), Jdbc.texts(c, attempts, r -> r.attempt().method()),
                    Jdbc.texts(c, attempts, r -> r.attempt().httpStatus()),
                    Jdbc.texts(c, attempts, r -> r.attempt().error()),
                    Jdbc.texts(c, attempts, r -> (int) Math.min(r.attempt().durationMillis(), Integer.MAX_VALUE)));
            ps.executeUpdate();
        }
    }

    /**
     * Settles the jobs of {@code attempts}, answering for each attempt whether its write settled
     * its job (found it PENDING). One UPDATE per round: a job recorded more than once in the batch
     * is settled by its first attempt in the first round, by its second in the second round, and
     * so on, so each write sees the one before it, as the statements of the old JDBC batch did (an
     * UPDATE ... FROM with the same id twice would apply only one of them, and say so of neither).
     * Hence only the write that moves a job out of PENDING settles it, and a later one of the same
     * batch finds it DONE or FAILED and settles nothing (no second UNACKNOWLEDGED job); a retry
     * (PENDING again) leaves it to the next. A batch without repeated jobs is one round. Each round
     * goes in job id order, so that concurrent batches lock the jobs they share in the same order.
     */
    private static boolean[] settle(Connection c, List<Recorded> attempts) throws SQLException {
        boolean[] settled = new boolean[attempts.size()];
        List<Integer> order = new ArrayList<>(attempts.size());
        for (int i = 0; i < attempts.size(); i++) {
            order.add(i);
        }
        for (List<Integer> round : Jdbc.rounds(order, i -> attempts.get(i).job().id())) {
            round.sort(Comparator.comparingLong(i -> attempts.get(i).job().id()));
            List<Recorded> r = round.stream().map(attempts::get).toList();
            Set<Long> moved = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(SETTLE_JOBS)) {
                Jdbc.bind(ps, Jdbc.texts(c, r, x -> x.job().id()), Jdbc.texts(c, r, x -> x.settlement().jobState()),
                        Jdbc.texts(c, r, x -> x.settlement().retryAt()), Jdbc.texts(c, r, x -> x.settlement().error()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        moved.add(rs.getLong(1));
                    }
                }
            }
            for (int i : round) {
                settled[i] = moved.contains(attempts.get(i).job().id());
            }
        }
        return settled;
    }

    /** The attempts from arrays, one row of each array per attempt, inserted in the batch's order. */
    private static final String INSERT_ATTEMPTS = """
            INSERT INTO callback_attempt (outbox_id, subject_kind, subject_id, payment_id, url, method,
                                          http_status, error, duration_ms)
            SELECT CAST(a.outbox_id AS bigint), a.subject_kind, a.subject_id, CAST(a.payment_id AS uuid), a.url,
                   a.method, CAST(a.http_status AS integer), a.error, CAST(a.duration_ms AS integer)
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[]))
                WITH ORDINALITY AS a(outbox_id, subject_kind, subject_id, payment_id, url, method, http_status,
                                     error, duration_ms, n)
            ORDER BY a.n""";

    /**
     * The settlements of distinct jobs from arrays; answers the ids of the jobs that were PENDING
     * and so were settled. {@code (o.state || '') = 'PENDING'} rather than {@code o.state =
     * 'PENDING'} keeps PostgreSQL's generic plan off the partial index of pending jobs
     * ({@code outbox_due_idx}), see {@code JdbiPaymentStore.closeChecks}.
     */
    private static final String SETTLE_JOBS = """
            UPDATE outbox o SET state = u.state, due_at = COALESCE(CAST(u.retry_at AS timestamptz), o.due_at),
                last_error = COALESCE(u.error, o.last_error), lease_owner = NULL, lease_until = NULL,
                finished_at = CASE WHEN u.state = 'PENDING' THEN NULL ELSE now() END
            FROM unnest(CAST(CAST(? AS text[]) AS bigint[]), CAST(? AS text[]), CAST(? AS text[]),
                        CAST(? AS text[])) AS u(id, state, retry_at, error)
            WHERE o.id = u.id AND (o.state || '') = 'PENDING'
            RETURNING o.id""";

    @Override
    public List<Map<String, Object>> forPayment(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT outbox_id, url, http_status, error, duration_ms, attempted_at
                        FROM callback_attempt WHERE payment_id = :p ORDER BY id""")
                .bind("p", paymentId).mapToMap().list());
    }
}
