package io.kulipa.store;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Plain JDBC for the statements on the payment pipeline's hot paths (issue 14): a profile of the
 * benchmark found Jdbi on the stack in 44 % of the gateway's CPU samples, most of it resolving
 * configuration, argument factories and mappers once per statement and per bound value. These
 * helpers run inside a Jdbi handle's connection, so transactions, the pool and error translation
 * stay as they are; only binding and reading rows are done by hand. Positional parameters only.
 */
final class Jdbc {

    private Jdbc() {
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static PreparedStatement prepare(Handle h, String sql) throws SQLException {
        return h.getConnection().prepareStatement(sql);
    }

    /** Binds {@code values} in order; a null is sent untyped, so the server infers its type from the statement. */
    static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            set(ps, i + 1, values[i]);
        }
    }

    static void set(PreparedStatement ps, int index, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(index, Types.OTHER);
            case String s -> ps.setString(index, s);
            case UUID u -> ps.setObject(index, u);
            case BigDecimal b -> ps.setBigDecimal(index, b);
            case Instant t -> ps.setTimestamp(index, Timestamp.from(t));
            case Timestamp t -> ps.setTimestamp(index, t);
            case Integer n -> ps.setInt(index, n);
            case Long n -> ps.setLong(index, n);
            case Double d -> ps.setDouble(index, d);
            case Boolean b -> ps.setBoolean(index, b);
            case java.sql.Array a -> ps.setArray(index, a);
            default -> throw new IllegalArgumentException("no JDBC binding for " + v.getClass().getName());
        }
    }

    /** A text[] parameter. */
    static java.sql.Array texts(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }

    /**
     * A text[] parameter of one value of each row, as text (null stays null): a column of a
     * statement that reads many rows from arrays ({@code unnest}) and casts them to its types.
     */
    static <T> java.sql.Array texts(Connection c, List<T> rows, java.util.function.Function<? super T, ?> value)
            throws SQLException {
        String[] values = new String[rows.size()];
        int i = 0;
        for (T row : rows) {
            Object v = value.apply(row);
            values[i++] = v == null ? null : v.toString();
        }
        return texts(c, values);
    }

    /**
     * {@code order} split into rounds for statements over arrays that must not see one key twice
     * (an {@code UPDATE ... FROM unnest} applies only one of two rows for the same target): the
     * first occurrence of each key in the first round, the second in the second, and so on, each
     * round in the order given, so that each write of a key runs after the one before it.
     */
    static List<List<Integer>> rounds(List<Integer> order, java.util.function.IntFunction<?> key) {
        List<List<Integer>> rounds = new java.util.ArrayList<>();
        java.util.Map<Object, Integer> seen = new java.util.HashMap<>();
        for (int i : order) {
            int round = seen.merge(key.apply(i), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new java.util.ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        return rounds;
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return rows(ps, row);
        } catch (SQLException e) {
            throw new JdbcFailure(sql, e);
        }
    }

    static <T> java.util.Optional<T> one(Connection c, String sql, Row<T> row, Object... params) {
        List<T> found = query(c, sql, row, params);
        if (found.size() > 1) {
            throw new IllegalStateException("expected at most one row, got " + found.size());
        }
        return found.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(found.getFirst());
    }

    static int update(Connection c, String sql, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new JdbcFailure(sql, e);
        }
    }

    static <T> List<T> rows(PreparedStatement ps, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row.read(rs));
            }
        }
        return out;
    }

    /**
     * A failed statement. The message names the statement, never the bound values (they may be a
     * customer's number or a payment's details); the driver's exception is the cause, so
     * {@link Database#unreachable} and {@code Retrying.onConflict} still find its SQL state.
     */
    static final class JdbcFailure extends RuntimeException {
        JdbcFailure(String sql, SQLException cause) {
            super("statement failed: " + firstLine(sql), cause);
        }

        private static String firstLine(String sql) {
            String s = sql.strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl) + " ...";
        }
    }

    /** Runs JDBC work that throws {@link SQLException}, wrapping it as {@link JdbcFailure}. */
    interface Work<T> {
        T run() throws SQLException;
    }

    static <T> T run(String what, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new JdbcFailure(what, e);
        }
    }

}
