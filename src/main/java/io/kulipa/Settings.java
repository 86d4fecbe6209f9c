package io.kulipa;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything Kulipa reads at start-up, from environment variables ({@code KULIPA_PORT}) and
 * the matching command-line flags ({@code --port=8080}); a flag wins over the environment.
 */
public record Settings(int port, String host, Path dataDir, String dbUrl, String dbUser, String dbPassword,
                       Mode mode, String bootstrapToken, String bootstrapCallbackUrl, String adminToken,
                       boolean manualApproval, Duration approvalDelay, Duration approvalWindow,
                       BigDecimal walletOpeningBalance, Duration firstStatusCheck, Duration jobLease,
                       Set<String> webhookAllowList, int dbPoolSize, Duration callbackRetryWindow,
                       Duration callbackFirstRetry, BigDecimal bootstrapWalletBalance,
                       Map<String, String> values) {

    public enum Mode { SANDBOX, PRODUCTION }

    public static Settings from(Map<String, String> env, String[] args) {
        Map<String, String> values = new HashMap<>(env);
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                String key = arg.substring(2, arg.indexOf('=')).toUpperCase(Locale.ROOT).replace('-', '_');
                values.put("KULIPA_" + key, arg.substring(arg.indexOf('=') + 1));
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; flags look like --port=8080");
            }
        }
        Function<String, String> get = name -> {
            String v = values.get("KULIPA_" + name);
            return v == null || v.isBlank() ? null : v.trim();
        };
        Settings settings = new Settings(
                integer(get.apply("PORT"), 8080, "KULIPA_PORT"),
                or(get.apply("HOST"), "0.0.0.0"),
                Path.of(or(get.apply("DATA_DIR"), "./data")).toAbsolutePath().normalize(),
                get.apply("DB_URL"), or(get.apply("DB_USER"), "postgres"), or(get.apply("DB_PASSWORD"), ""),
                mode(or(get.apply("MODE"), "sandbox")),
                get.apply("BOOTSTRAP_TOKEN"), get.apply("BOOTSTRAP_CALLBACK_URL"), get.apply("ADMIN_TOKEN"),
                approval(or(get.apply("SANDBOX_APPROVAL"), "auto")),
                duration(or(get.apply("SANDBOX_APPROVAL_DELAY"), "3s"), "KULIPA_SANDBOX_APPROVAL_DELAY"),
                duration(or(get.apply("SANDBOX_APPROVAL_WINDOW"), "60s"), "KULIPA_SANDBOX_APPROVAL_WINDOW"),
                new BigDecimal(or(get.apply("SANDBOX_WALLET_BALANCE"), "1000000")),
                duration(or(get.apply("STATUS_CHECK_AFTER"), "90s"), "KULIPA_STATUS_CHECK_AFTER"),
                duration(or(get.apply("JOB_LEASE"), "30s"), "KULIPA_JOB_LEASE"),
                Set.copyOf(Arrays.stream(or(get.apply("WEBHOOK_ALLOWLIST"), "").split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList()),
                integer(get.apply("DB_POOL_SIZE"), 40, "KULIPA_DB_POOL_SIZE"),
                duration(or(get.apply("CALLBACK_RETRY_WINDOW"), "15m"), "KULIPA_CALLBACK_RETRY_WINDOW"),
                duration(or(get.apply("CALLBACK_FIRST_RETRY"), "5s"), "KULIPA_CALLBACK_FIRST_RETRY"),
                new BigDecimal(or(get.apply("BOOTSTRAP_WALLET_BALANCE"), "1000000")),
                Map.copyOf(values));
        settings.retention();
        return settings;
    }

    /** Retention settles for whole days; this bounds it to about a hundred years. */
    private static final int RETENTION_DAYS_MAX = 36_500;

    /**
     * How long done outbox rows, callback attempts and sandbox SMS are kept
     * ({@code KULIPA_RETENTION_DAYS}, 30 by default). A method over {@link #value} rather than
     * a field of its own, so that it adds no component to this record; {@link #from} reads it
     * once, so that a bad value stops the start.
     */
    public Duration retention() {
        int days = integer(value("RETENTION_DAYS"), 30, "KULIPA_RETENTION_DAYS");
        if (days < 1 || days > RETENTION_DAYS_MAX) {
            throw new IllegalArgumentException("KULIPA_RETENTION_DAYS: '" + days + "' must be 1 to " + RETENTION_DAYS_MAX);
        }
        return Duration.ofDays(days);
    }

    /**
     * A setting by its name without the prefix ({@code "BOOTSTRAP_MOMO_SUBSCRIPTION_KEY"} for
     * {@code KULIPA_BOOTSTRAP_MOMO_SUBSCRIPTION_KEY}), or null when unset or blank: how a
     * dialect reads the settings of its own, so that a new dialect needs no field here.
     */
    public String value(String name) {
        String v = values.get("KULIPA_" + name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public boolean sandbox() {
        return mode == Mode.SANDBOX;
    }

    /** Reads "250ms", "3s", "2m" or a plain number of milliseconds. */
    public static Duration duration(String text, String name) {
        try {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + text + "' is not a duration such as 500ms, 3s or 2m");
        }
    }

    private static int integer(String text, int fallback, String name) {
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + text + "' is not a whole number");
        }
    }

    private static Mode mode(String text) {
        try {
            return Mode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("KULIPA_MODE: '" + text + "' must be sandbox or production");
        }
    }

    private static boolean approval(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> false;
            case "manual" -> true;
            default -> throw new IllegalArgumentException("KULIPA_SANDBOX_APPROVAL: '" + text + "' must be auto or manual");
        };
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    @Override
    public String toString() {
        // Tokens and the database password stay out of logs.
        return "Settings[port=" + port + ", host=" + host + ", dataDir=" + dataDir + ", mode=" + mode
                + ", database=" + (dbUrl == null ? "embedded" : "external") + "]";
    }
}
