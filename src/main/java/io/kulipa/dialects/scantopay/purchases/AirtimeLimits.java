package io.kulipa.dialects.scantopay.purchases;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The airtime limits of the QR Code Payments business rules, as data
 * ({@code scantopay/airtime-limits.csv}): per item type, the most one purchase may carry and the
 * most (in rand, and in purchases) one MSISDN may buy in a day.
 */
public final class AirtimeLimits {

    public static final String RESOURCE = "/scantopay/airtime-limits.csv";

    public record Limit(String itemType, BigDecimal perPurchaseMax, BigDecimal perDayMax, int perDayCountMax) {
    }

    private final Map<String, Limit> limits;

    private AirtimeLimits(Map<String, Limit> limits) {
        this.limits = Map.copyOf(limits);
    }

    public static AirtimeLimits load() {
        Map<String, Limit> out = new HashMap<>();
        try (InputStream in = AirtimeLimits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                out.put(f[0], new Limit(f[0], new BigDecimal(f[1]), new BigDecimal(f[2]), Integer.parseInt(f[3])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AirtimeLimits(out);
    }

    public Optional<Limit> of(String itemType) {
        return itemType == null ? Optional.empty() : Optional.ofNullable(limits.get(itemType.toUpperCase(Locale.ROOT)));
    }
}
