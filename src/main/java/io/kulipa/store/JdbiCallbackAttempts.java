package io.kulipa.store;

import io.kulipa.callbacks.CallbackAttempts;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

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
            PreparedBatch rows = h.prepareBatch("""
                    INSERT INTO callback_attempt (outbox_id, subject_kind, subject_id, payment_id, url, method,
                                                  http_status, error, duration_ms)
                    VALUES (:job, :subjectKind, :subjectId, CAST(:payment AS uuid), :url, :method, :status,
                            :error, :ms)""");
            PreparedBatch settle = h.prepareBatch("""
                    UPDATE outbox SET state = :jobState, due_at = COALESCE(:retryAt, due_at),
                        last_error = COALESCE(:jobError, last_error), lease_owner = NULL, lease_until = NULL,
                        finished_at = CASE WHEN :jobState = 'PENDING' THEN NULL ELSE now() END
                    WHERE id = :job AND state = 'PENDING'""");
            for (Recorded r : attempts) {
                Job job = r.job();
                Attempt a = r.attempt();
                rows.bind("job", job.id()).bind("subjectKind", job.subjectKind()).bind("subjectId", job.subjectId())
                        .bind("payment", job.paymentId()).bind("url", a.url()).bind("method", a.method())
                        .bind("status", a.httpStatus()).bind("error", a.error())
                        .bind("ms", (int) Math.min(a.durationMillis(), Integer.MAX_VALUE)).add();
                settle.bind("job", job.id()).bind("jobState", r.settlement().jobState())
                        .bind("retryAt", PaymentRows.ts(r.settlement().retryAt()))
                        .bind("jobError", r.settlement().error()).add();
            }
            rows.execute();
            int[] settled = settle.execute();
            for (int i = 0; i < attempts.size(); i++) {
                Recorded r = attempts.get(i);
                if (settled[i] == 1 && r.settlement().unacknowledged()) {
                    outbox.add(h, JobKind.UNACKNOWLEDGED, r.job().subjectKind(), r.job().subjectId(),
                            r.job().paymentId(), r.settlement().error());
                }
            }
        });
    }

    @Override
    public List<Map<String, Object>> forPayment(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT outbox_id, url, http_status, error, duration_ms, attempted_at
                        FROM callback_attempt WHERE payment_id = :p ORDER BY id""")
                .bind("p", paymentId).mapToMap().list());
    }
}
