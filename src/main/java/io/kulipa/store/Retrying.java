package io.kulipa.store;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries a whole transaction that PostgreSQL aborted to break a deadlock or a serialisation
 * conflict: nothing of it was written, so running it again is safe.
 */
final class Retrying {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Retrying.class);
    static final int MAX_ATTEMPTS = 4;
    private static final long MAX_JITTER_MILLIS = 40;

    private Retrying() {
    }

    static <T> T onConflict(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
                LOG.info("transaction aborted by a lock conflict (attempt {} of {}); running it again",
                        attempt, MAX_ATTEMPTS);
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(1, MAX_JITTER_MILLIS * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** 40P01 deadlock detected, 40001 serialization failure. */
    static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
