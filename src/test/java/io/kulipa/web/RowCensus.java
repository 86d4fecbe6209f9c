package io.kulipa.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.jdbi.v3.core.Jdbi;

/**
 * Row counts of the tables a request writes while it is answered: {@code payment} and every
 * {@code momo_*}, {@code jenga_*} and {@code pawapay_*} table, found in the schema so that a new table is counted
 * too. History tables ({@code *_event}) are left out: a state change made later by a worker
 * appends to them, so a row there cannot be told apart from one the last request wrote.
 */
final class RowCensus {

    private final Jdbi jdbi;
    private final String query;

    RowCensus(Jdbi jdbi) {
        this.jdbi = jdbi;
        List<String> tables = jdbi.withHandle(h -> h.createQuery("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                  AND (table_name = 'payment' OR table_name LIKE 'momo\\_%' OR table_name LIKE 'jenga\\_%'
                       OR table_name LIKE 'pawapay\\_%'
                       OR table_name LIKE 'stp\\_remote\\_%'
                       OR table_name LIKE 'scantopay\\_%' OR table_name = 'card')
                  AND table_name NOT LIKE '%\\_event'
                ORDER BY table_name""").mapTo(String.class).list());
        if (tables.isEmpty()) {
            throw new IllegalStateException("no table to count");
        }
        StringJoiner select = new StringJoiner(", ", "SELECT ", "");
        tables.forEach(t -> select.add("(SELECT count(*) FROM " + t + ") AS " + t));
        this.query = select.toString();
    }

    Map<String, Long> count() {
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery(query).mapToMap().one());
        Map<String, Long> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    /** The tables that grew from {@code before} to {@code after}, with how many rows. */
    static Map<String, Long> growth(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.forEach((table, n) -> {
            long grown = n - before.getOrDefault(table, 0L);
            if (grown > 0) {
                out.put(table, grown);
            }
        });
        return out;
    }
}
