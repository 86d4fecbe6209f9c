package io.kulipa.dialects.jenga;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's Equitel tariff: the charge of a push by amount band, as data in
 * {@code simulator/jenga-tariff.csv} (bands of "up to" amounts, each a fixed charge plus a
 * percentage). Jenga reports the charge in its callback; the sandbox's numbers are made up and
 * say so in docs/jenga.md.
 */
public final class Tariff {

    public static final String RESOURCE = "/simulator/jenga-tariff.csv";
    private static final int CHARGE_SCALE = 2;

    private record Band(BigDecimal upTo, BigDecimal fixed, BigDecimal percent) {
    }

    private final List<Band> bands;

    private Tariff(List<Band> bands) {
        this.bands = List.copyOf(bands);
    }

    public static Tariff load(String resource) {
        try (InputStream in = Tariff.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing tariff resource " + resource);
            }
            List<Band> bands = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                bands.add(new Band(new BigDecimal(f[0].trim()), new BigDecimal(f[1].trim()), new BigDecimal(f[2].trim())));
            }
            return new Tariff(bands);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Jenga tariff", e);
        }
    }

    /** The charge of a push of {@code amount}: the first band that covers it; past the last band, the last one. */
    public BigDecimal charge(BigDecimal amount) {
        Band band = bands.stream().filter(b -> amount.compareTo(b.upTo()) <= 0).findFirst()
                .orElse(bands.getLast());
        return band.fixed().add(amount.multiply(band.percent()).movePointLeft(2))
                .setScale(CHARGE_SCALE, RoundingMode.HALF_UP);
    }
}
