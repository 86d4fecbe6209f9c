package io.kulipa.dialects.scantopay.remote.cards;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The BIN table of the Remote API as data ({@link #RESOURCE}): per range of the first six digits,
 * the auth method and the fields a purchase must carry. A BIN in no range is unknown.
 */
public final class BinTable {

    public static final String RESOURCE = "/simulator/scantopay-remote-bins.csv";
    public static final int BIN_DIGITS = 6;

    private record Range(int from, int to, String authMethod, boolean cvv, boolean acc, boolean dob, boolean name) {
    }

    private final List<Range> ranges;

    private BinTable(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static BinTable load(String resource) {
        try (InputStream in = BinTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            List<Range> ranges = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", -1);
                String method = f[2].strip();
                if (!method.equals(CardRequirements.PIN) && !method.equals(CardRequirements.THREE_DS)) {
                    throw new IllegalStateException(resource + ": authMethod must be AMT or 3DS: " + line);
                }
                ranges.add(new Range(Integer.parseInt(f[0].strip()), Integer.parseInt(f[1].strip()), method,
                        Boolean.parseBoolean(f[3].strip()), Boolean.parseBoolean(f[4].strip()),
                        Boolean.parseBoolean(f[5].strip()), Boolean.parseBoolean(f[6].strip())));
            }
            return new BinTable(ranges);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requirements of the card whose PAN or BIN starts with {@code digits} (at least six). */
    public Optional<CardRequirements> of(String digits) {
        if (digits == null || digits.length() < BIN_DIGITS || !digits.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int bin = Integer.parseInt(digits.substring(0, BIN_DIGITS));
        return ranges.stream().filter(r -> bin >= r.from() && bin <= r.to()).findFirst()
                .map(r -> new CardRequirements(digits.substring(0, BIN_DIGITS), r.authMethod(), r.cvv(), r.acc(),
                        r.dob(), r.name()));
    }
}
