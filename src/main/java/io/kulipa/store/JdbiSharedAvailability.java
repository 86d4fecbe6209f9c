package io.kulipa.store;

import io.kulipa.providers.Availability;
import io.kulipa.providers.Operation;
import io.kulipa.providers.SharedAvailability;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/** The tables {@code availability_override} and {@code availability_degraded} (V30), shared by every node. */
public final class JdbiSharedAvailability implements SharedAvailability {

    private final Jdbi jdbi;

    public JdbiSharedAvailability(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public State read() {
        return jdbi.withHandle(h -> {
            Map<SharedAvailability.Key, Availability.Status> overrides = new HashMap<>();
            h.createQuery("SELECT correspondent, operation, status FROM availability_override")
                    .map((rs, ctx) -> Map.entry(new SharedAvailability.Key(rs.getString("correspondent"),
                            Operation.valueOf(rs.getString("operation"))),
                            Availability.Status.valueOf(rs.getString("status"))))
                    .forEach(e -> overrides.put(e.getKey(), e.getValue()));
            Set<String> degraded = new HashSet<>(h.createQuery("SELECT correspondent FROM availability_degraded")
                    .mapTo(String.class).list());
            return new State(overrides, degraded);
        });
    }

    @Override
    public void set(String correspondent, Operation operation, Availability.Status status) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO availability_override (correspondent, operation, status)
                        VALUES (:c, :op, :status)
                        ON CONFLICT (correspondent, operation) DO UPDATE SET status = :status, set_at = now()""")
                .bind("c", correspondent).bind("op", operation.name()).bind("status", status.name()).execute());
    }

    @Override
    public boolean clear(String correspondent, Operation operation) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM availability_override WHERE correspondent = :c AND operation = :op")
                .bind("c", correspondent).bind("op", operation.name()).execute()) > 0;
    }

    @Override
    public boolean degrade(String correspondent) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "INSERT INTO availability_degraded (correspondent) VALUES (:c) ON CONFLICT DO NOTHING")
                .bind("c", correspondent).execute()) > 0;
    }

    @Override
    public boolean recover(String correspondent) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM availability_degraded WHERE correspondent = :c")
                .bind("c", correspondent).execute()) > 0;
    }
}
