package io.kulipa.store;

import io.kulipa.callbacks.CallbackAttempts;
import org.jdbi.v3.core.Jdbi;

/** One-shot callback attempts in PostgreSQL. */
public final class JdbiCallbackAttempts implements CallbackAttempts {

    private final Jdbi jdbi;

    public JdbiCallbackAttempts(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void record(String subject, String subjectId, String url, String method, Integer httpStatus, String error,
                       long durationMillis) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO momo_callback_attempt (subject, subject_id, url, method, http_status, error,
                            duration_ms)
                        VALUES (:subject, :id, :url, :method, :status, :error, :ms)""")
                .bind("subject", subject).bind("id", subjectId).bind("url", url).bind("method", method)
                .bind("status", httpStatus).bind("error", error)
                .bind("ms", (int) Math.min(durationMillis, Integer.MAX_VALUE)).execute());
    }
}
