package io.kulipa.store;

import io.kulipa.outbox.NodeRegistry;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/** The {@code node} table (ADR 11): one row per node process, its heartbeat and its clean stop. */
public final class JdbiNodeRegistry implements NodeRegistry {

    /**
     * How long the row of a node that stopped beating is kept. Any age is safe: a job leased to
     * a node whose row is gone waits for its lease to run out, as before heartbeats existed.
     */
    static final Duration STOPPED_NODE_KEPT = Duration.ofDays(1);

    private final Jdbi jdbi;

    public JdbiNodeRegistry(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void joined(String nodeId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM node WHERE heartbeat_at < now() - make_interval(secs => :kept)")
                    .bind("kept", (double) STOPPED_NODE_KEPT.toSeconds()).execute();
            h.createUpdate("INSERT INTO node (id) VALUES (:id) ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()")
                    .bind("id", nodeId).execute();
        });
    }

    @Override
    public void beat(String nodeId) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO node (id) VALUES (:id)
                        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()""")
                .bind("id", nodeId).execute());
    }

    @Override
    public void stopped(String nodeId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE node SET stopped_at = now() WHERE id = :id")
                .bind("id", nodeId).execute());
    }
}
