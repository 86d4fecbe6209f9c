package io.kulipa.states;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A state machine as data: the initial state of an enum and, for every state, the states it
 * may move to. A state with no way out is final. Payments, pre-approvals, consents, invoices and
 * vouchers each have one, built next to their enum; the stores move a row only from a state the
 * table allows, tests walk the tables, and {@code docs/states.md} is rendered from them.
 *
 * <p>It imports nothing but the JDK, so that any package, core or dialect, may use it.
 *
 * @param <S> the enum of the states
 */
public final class TransitionTable<S extends Enum<S>> {

    private final String name;
    private final Class<S> type;
    private final S initial;
    private final Map<S, Set<S>> allowed;

    private TransitionTable(String name, Class<S> type, S initial, Map<S, Set<S>> allowed) {
        this.name = name;
        this.type = type;
        this.initial = initial;
        this.allowed = Collections.unmodifiableMap(allowed);
    }

    /** Starts a table whose every subject begins in {@code initial}; {@code name} titles its diagram. */
    public static <S extends Enum<S>> Builder<S> of(String name, S initial) {
        return new Builder<>(name, initial);
    }

    /** Builds a table row by row; {@link #build()} refuses a table that leaves a state out. */
    public static final class Builder<S extends Enum<S>> {
        private final String name;
        private final Class<S> type;
        private final S initial;
        private final Map<S, Set<S>> allowed;

        private Builder(String name, S initial) {
            this.name = name;
            this.type = initial.getDeclaringClass();
            this.initial = initial;
            this.allowed = new EnumMap<>(type);
        }

        /** The moves out of {@code from}; none makes it final. Each state has exactly one row. */
        @SafeVarargs
        public final Builder<S> allow(S from, S... to) {
            Set<S> targets = EnumSet.noneOf(type);
            Collections.addAll(targets, to);
            if (allowed.putIfAbsent(from, Collections.unmodifiableSet(targets)) != null) {
                throw new IllegalArgumentException(name + ": two rows for " + from);
            }
            return this;
        }

        public TransitionTable<S> build() {
            for (S state : type.getEnumConstants()) {
                if (!allowed.containsKey(state)) {
                    throw new IllegalStateException(name + ": no row for " + state);
                }
            }
            return new TransitionTable<>(name, type, initial, allowed);
        }
    }

    public String name() {
        return name;
    }

    public Class<S> type() {
        return type;
    }

    public S initial() {
        return initial;
    }

    public boolean allowed(S from, S to) {
        return allowed.get(from).contains(to);
    }

    /**
     * Refuses a move the table does not allow, before anything is written: a store calls it
     * first, so that a programming error never reaches the database as a silent no-op.
     */
    public void requireAllowed(S from, S to) {
        if (!allowed(from, to)) {
            throw new IllegalArgumentException("the " + name + " table does not allow " + from + " -> " + to);
        }
    }

    /** The states a subject may move to from {@code state}. */
    public Set<S> from(S state) {
        return allowed.get(state);
    }

    /** The states a subject may be in when it moves to {@code to}. */
    public Set<S> sourcesOf(S to) {
        Set<S> sources = EnumSet.noneOf(type);
        allowed.forEach((from, targets) -> {
            if (targets.contains(to)) {
                sources.add(from);
            }
        });
        return sources;
    }

    /** The names of {@link #sourcesOf}, to bind as {@code status = ANY(:from)} in a conditional update. */
    public String[] sourceNamesOf(S to) {
        return sourcesOf(to).stream().map(Enum::name).toArray(String[]::new);
    }

    public boolean isFinal(S state) {
        return allowed.get(state).isEmpty();
    }

    public Set<S> finals() {
        Set<S> finals = EnumSet.noneOf(type);
        allowed.forEach((state, targets) -> {
            if (targets.isEmpty()) {
                finals.add(state);
            }
        });
        return finals;
    }

    /** The states that can be reached from {@code start} in one move or more. */
    public Set<S> reachableFrom(S start) {
        Set<S> reached = EnumSet.noneOf(type);
        Deque<S> todo = new ArrayDeque<>(Set.of(start));
        while (!todo.isEmpty()) {
            for (S next : allowed.get(todo.pop())) {
                if (reached.add(next)) {
                    todo.push(next);
                }
            }
        }
        return reached;
    }

    /** The table as a map, from every state to the states it may move to. */
    public Map<S, Set<S>> asMap() {
        return allowed;
    }

    /** A Mermaid state diagram of the table, for the docs: rows in the enum's order, then the final states. */
    public String mermaid() {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n    [*] --> ").append(initial).append('\n');
        allowed.forEach((from, targets) -> targets.forEach(to ->
                out.append("    ").append(from).append(" --> ").append(to).append('\n')));
        finals().forEach(state -> out.append("    ").append(state).append(" --> [*]\n"));
        return out.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
