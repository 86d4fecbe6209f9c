package io.kulipa.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connections under the pool, made again every {@link #RECONNECT_INTERVAL} while PostgreSQL
 * cannot be reached, for up to {@link #RECONNECT_PERSISTENCE}.
 *
 * <p>Why: HikariCP's thread that adds connections sleeps after each failure, doubling the pause up
 * to 5 s, so after an outage of a few seconds the pool could take 5 s more to notice the database
 * is back. Retrying here, inside one attempt as the pool sees it, keeps the pool's pause at its
 * smallest and a returning database is used within {@code RECONNECT_INTERVAL}. Requests are not
 * held by this: they wait for a pooled connection at most {@link Database#CONNECTION_WAIT} and are
 * then answered with their dialect's "unavailable" error.
 */
final class ReconnectingDataSource implements DataSource {

    /** The pause between two attempts to reach a database that refused or dropped the last one. */
    static final Duration RECONNECT_INTERVAL = Duration.ofMillis(100);
    /** How long one attempt as the pool sees it keeps trying before it reports the failure. */
    static final Duration RECONNECT_PERSISTENCE = Duration.ofSeconds(60);

    private final DataSource target;

    ReconnectingDataSource(DataSource target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return persist(target::getConnection);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return persist(() -> target.getConnection(user, password));
    }

    private interface Attempt {
        Connection connect() throws SQLException;
    }

    private static Connection persist(Attempt attempt) throws SQLException {
        long deadline = System.nanoTime() + RECONNECT_PERSISTENCE.toNanos();
        while (true) {
            try {
                return attempt.connect();
            } catch (SQLException e) {
                if (!Database.unreachable(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(RECONNECT_INTERVAL);
                } catch (InterruptedException ie) {
                    // The pool is closing: report the failure at once.
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }
}
