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
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO callback_attempt (outbox_id, subject_kind, subject_id, payment_id, url, method,
                                                          http_status, error, duration_ms)
                            VALUES (:job, :subjectKind, :subjectId, CAST(:payment AS uuid), :url, :method, :status,
                                    :error, :ms)""")
                    .bind("job", job.id()).bind("subjectKind", job.subjectKind()).bind("subjectId", job.subjectId())
                    .bind("payment", job.paymentId()).bind("url", a.url()).bind("method", a.method())
                    .bind("status", a.httpStatus()).bind("error", a.error())
                    .bind("ms", (int) Math.min(a.durationMillis(), Integer.MAX_VALUE)).execute();
            int settled = h.createUpdate("""
                            UPDATE outbox SET state = :jobState, due_at = COALESCE(:retryAt, due_at),
                                last_error = COALESCE(:jobError, last_error), lease_owner = NULL, lease_until = NULL,
                                finished_at = CASE WHEN :jobState = 'PENDING' THEN NULL ELSE now() END
                            WHERE id = :job AND state = 'PENDING'""")
                    .bind("job", job.id()).bind("jobState", settlement.jobState())
                    .bind("retryAt", PaymentRows.ts(settlement.retryAt())).bind("jobError", settlement.error())
                    .execute();
            if (settled == 1 && settlement.unacknowledged()) {
                outbox.add(h, JobKind.UNACKNOWLEDGED, job.subjectKind(), job.subjectId(), job.paymentId(),
                        settlement.error());
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
