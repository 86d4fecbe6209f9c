package io.kulipa.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Connections for plain-JDBC work ({@link Jdbc}) on the hot paths. With the pool's
 * {@link DataSource} a statement borrows a connection directly: opening a Jdbi handle (its
 * configuration copied, its plugins run) cost more CPU than the statement it ran, 14 % of the
 * gateway's samples for payment reads alone under the benchmark (issue 14). Without one (a store
 * built over a bare {@link Jdbi}, as some tests do) the same work runs in a Jdbi handle.
 */
final class Sessions {

    /** JDBC work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Jdbi jdbi;
    private final DataSource direct;

    /** @param direct the pool under {@code jdbi}, or null to go through Jdbi's handles */
    Sessions(Jdbi jdbi, DataSource direct) {
        this.jdbi = jdbi;
        this.direct = direct;
    }

    /** One or more statements, each committed by itself. */
    <T> T withConnection(String what, Work<T> work) {
        if (direct == null) {
            return jdbi.withHandle(h -> Jdbc.run(what, () -> work.run(h.getConnection())));
        }
        return Jdbc.run(what, () -> {
            try (Connection c = direct.getConnection()) {
                return work.run(c);
            }
        });
    }

    /** Statements in one transaction: committed together, or rolled back together when one fails. */
    <T> T inTransaction(String what, Work<T> work) {
        if (direct == null) {
            return jdbi.inTransaction(h -> Jdbc.run(what, () -> work.run(h.getConnection())));
        }
        return Jdbc.run(what, () -> {
            try (Connection c = direct.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    try {
                        c.rollback();
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback);
                    }
                    throw e;
                }
                // The pool puts auto-commit back when the connection returns to it.
            }
        });
    }
}
