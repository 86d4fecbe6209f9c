package io.kulipa.store;

import io.kulipa.callbacks.CallbackAttempts;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import java.util.List;
import java.util.Map;
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

    /** Every attempt in one JDBC batch, every job's settlement in another, in one transaction. */
    @Override
    public void recordAll(List<Recorded> attempts) {
        jdbi.useTransaction(h -> {
            int[] settled = Jdbc.run("record callback attempts", () -> {
                try (java.sql.PreparedStatement rows = Jdbc.prepare(h, INSERT_ATTEMPT);
                     java.sql.PreparedStatement settle = Jdbc.prepare(h, SETTLE_JOB)) {
                    for (Recorded r : attempts) {
                        Job job = r.job();
                        Attempt a = r.attempt();
                        Jdbc.bind(rows, job.id(), job.subjectKind(), job.subjectId(),
                                job.paymentId() == null ? null : job.paymentId().toString(), a.url(), a.method(),
                                a.httpStatus(), a.error(), (int) Math.min(a.durationMillis(), Integer.MAX_VALUE));
                        rows.addBatch();
                        String state = r.settlement().jobState();
                        Jdbc.bind(settle, state, r.settlement().retryAt(), r.settlement().error(), state, job.id());
                        settle.addBatch();
                    }
                    rows.executeBatch();
                    return settle.executeBatch();
                }
            });
            for (int i = 0; i < attempts.size(); i++) {
                Recorded r = attempts.get(i);
                if (settled[i] == 1 && r.settlement().unacknowledged()) {
                    outbox.add(h, JobKind.UNACKNOWLEDGED, r.job().subjectKind(), r.job().subjectId(),
                            r.job().paymentId(), r.settlement().error());
                }
            }
        });
    }

    private static final String INSERT_ATTEMPT = """
            INSERT INTO callback_attempt (outbox_id, subject_kind, subject_id, payment_id, url, method,
                                          http_status, error, duration_ms)
            VALUES (?, ?, ?, CAST(? AS uuid), ?, ?, ?, ?, ?)""";

    private static final String SETTLE_JOB = """
            UPDATE outbox SET state = ?, due_at = COALESCE(CAST(? AS timestamptz), due_at),
                last_error = COALESCE(?, last_error), lease_owner = NULL, lease_until = NULL,
                finished_at = CASE WHEN CAST(? AS text) = 'PENDING' THEN NULL ELSE now() END
            WHERE id = ? AND state = 'PENDING'""";

    @Override
    public List<Map<String, Object>> forPayment(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT outbox_id, url, http_status, error, duration_ms, attempted_at
                        FROM callback_attempt WHERE payment_id = :p ORDER BY id""")
                .bind("p", paymentId).mapToMap().list());
    }
}
