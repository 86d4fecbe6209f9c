package io.kulipa.providers;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the {@link AvailabilityBoard} keeps what every node must agree on: the overrides ops set
 * by hand and the correspondents some node's monitor found degraded. Implemented over the
 * database in {@code store} (every node on it shares one), and in memory for a lone board.
 */
public interface SharedAvailability {

    /** What the nodes share, as read at one moment. */
    record State(Map<Key, Availability.Status> overrides, Set<String> degraded) {
        public static final State EMPTY = new State(Map.of(), Set.of());

        public State {
            overrides = Map.copyOf(overrides);
            degraded = Set.copyOf(degraded);
        }
    }

    /** The key of an override: one operation of one correspondent. */
    record Key(String correspondent, Operation operation) {
    }

    State read();

    void set(String correspondent, Operation operation, Availability.Status status);

    /** True when there was an override to remove. */
    boolean clear(String correspondent, Operation operation);

    /** True when this call degraded it (it was not degraded yet). */
    boolean degrade(String correspondent);

    /** True when this call restored it (it was degraded). */
    boolean recover(String correspondent);

    /** Kept in this process only: a board alone, or a test. */
    static SharedAvailability inMemory() {
        Map<Key, Availability.Status> overrides = new ConcurrentHashMap<>();
        Set<String> degraded = ConcurrentHashMap.newKeySet();
        return new SharedAvailability() {
            @Override
            public State read() {
                return new State(overrides, new HashSet<>(degraded));
            }

            @Override
            public void set(String correspondent, Operation operation, Availability.Status status) {
                overrides.put(new Key(correspondent, operation), status);
            }

            @Override
            public boolean clear(String correspondent, Operation operation) {
                return overrides.remove(new Key(correspondent, operation)) != null;
            }

            @Override
            public boolean degrade(String correspondent) {
                return degraded.add(correspondent);
            }

            @Override
            public boolean recover(String correspondent) {
                return degraded.remove(correspondent);
            }
        };
    }
}
