package io.kulipa.store;

import io.kulipa.callbacks.WebhookAttempts;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Webhook attempts in PostgreSQL. */
public final class JdbiWebhookAttempts implements WebhookAttempts {

    private final Jdbi jdbi;

    public JdbiWebhookAttempts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void record(long jobId, UUID paymentId, String url, Integer httpStatus, String error, long durationMillis,
                       Settlement settlement) {
        jdbi.useHandle(h -> h.createUpdate("""
                        WITH attempt AS (
                            INSERT INTO webhook_attempt (outbox_id, payment_id, url, http_status, error, duration_ms)
                            VALUES (:job, :p, :url, :status, :error, :ms))
                        UPDATE outbox SET state = :jobState, due_at = COALESCE(:retryAt, due_at),
                            last_error = COALESCE(:jobError, last_error), lease_owner = NULL, lease_until = NULL,
                            finished_at = CASE WHEN :jobState = 'PENDING' THEN NULL ELSE now() END
                        WHERE id = :job AND state = 'PENDING'""")
                .bind("job", jobId).bind("p", paymentId).bind("url", url).bind("status", httpStatus)
                .bind("error", error).bind("ms", (int) Math.min(durationMillis, Integer.MAX_VALUE))
                .bind("jobState", settlement.jobState()).bind("retryAt", PaymentRows.ts(settlement.retryAt()))
                .bind("jobError", settlement.error()).execute());
    }

    @Override
    public List<Map<String, Object>> forPayment(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT outbox_id, url, http_status, error, duration_ms, attempted_at
                        FROM webhook_attempt WHERE payment_id = :p ORDER BY id""")
                .bind("p", paymentId).mapToMap().list());
    }
}
