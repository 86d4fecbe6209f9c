package io.kulipa.providers.simulator;

import io.kulipa.providers.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sandbox test numbers: for an operation and an MSISDN, the outcome the simulated
 * operator produces. Data, loaded from {@code simulator/scenarios.csv}, not code branches.
 */
public final class Scenarios {

    public static final String RESOURCE = "/simulator/scenarios.csv";
    public static final String NO_CALLBACK = "NO_CALLBACK";
    public static final String COMPLETED = "COMPLETED";

    /** One row of the table. */
    public record Scenario(Operation operation, String msisdn, String correspondent, String outcome) {
    }

    private final Map<String, Scenario> byKey;

    public Scenarios(Map<String, Scenario> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    /** The pawaPay test numbers only. */
    public static Scenarios loadDefault() {
        return load(RESOURCE);
    }

    /** The rows of several tables; a number listed twice for one operation keeps its first row. */
    public static Scenarios load(String... resources) {
        Map<String, Scenario> rows = new HashMap<>();
        for (String resource : resources) {
            read(resource).forEach(rows::putIfAbsent);
        }
        return new Scenarios(rows);
    }

    private static Map<String, Scenario> read(String resource) {
        try (InputStream in = Scenarios.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing scenario resource " + resource);
            }
            Map<String, Scenario> rows = new HashMap<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                Scenario s = new Scenario(Operation.valueOf(f[0].trim()), f[1].trim(), f[2].trim(), f[3].trim());
                rows.put(key(s.operation(), s.msisdn()), s);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sandbox scenarios", e);
        }
    }

    /** Refunds pay out to the customer, so they follow the payout table. */
    public Optional<Scenario> find(Operation operation, String msisdn) {
        Operation table = operation == Operation.REFUND ? Operation.PAYOUT : operation;
        return Optional.ofNullable(byKey.get(key(table, msisdn)));
    }

    public java.util.Collection<Scenario> all() {
        return byKey.values();
    }

    private static String key(Operation operation, String msisdn) {
        return operation.name() + ":" + msisdn;
    }
}
