package io.kulipa.dialects.scantopay.purchases;

import io.kulipa.dialects.scantopay.StpErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which cards may pay by USSD, as data ({@code scantopay/ussd-whitelist.csv}): BIN ranges with
 * their authentication method (CNP or 3-D Secure), whether each is whitelisted, and the latest
 * card expiry whitelisted for it. A refusal is the spec's 468
 * (WIG_CNP_PURCHASE_FAIL_CARD_EXPIRY_BIN_NOT_WHIELIST) for a CNP range and 469
 * (WIG_3DS_PURCHASE_FAIL_CARD_EXPIRY_BIN_NOT_WHIELIST) for a 3DS one, naming which of the two,
 * BIN or expiry, was not whitelisted.
 */
public final class UssdWhitelist {

    public static final String RESOURCE = "/scantopay/ussd-whitelist.csv";

    public enum Method { CNP, THREE_DS }

    /** One range; {@code lastExpiry} null when the range is not whitelisted at all. */
    public record Range(int binFrom, int binTo, Method method, boolean whitelisted, YearMonth lastExpiry) {
        boolean holds(int bin) {
            return bin >= binFrom && bin <= binTo;
        }
    }

    /** Why a card may not pay by USSD: the status (468 or 469) and a message naming the field. */
    public record Refusal(int status, String message) {
    }

    private final List<Range> ranges;

    UssdWhitelist(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    public static UssdWhitelist load() {
        List<Range> out = new ArrayList<>();
        try (InputStream in = UssdWhitelist.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", -1);
                Method method = switch (f[2]) {
                    case "CNP" -> Method.CNP;
                    case "3DS" -> Method.THREE_DS;
                    default -> throw new IllegalStateException(RESOURCE + ": method " + f[2] + " is not CNP or 3DS");
                };
                boolean whitelisted = Boolean.parseBoolean(f[3]);
                out.add(new Range(Integer.parseInt(f[0]), Integer.parseInt(f[1]), method, whitelisted,
                        whitelisted ? YearMonth.parse(f[4]) : null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new UssdWhitelist(out);
    }

    /** The range of a six-digit BIN, if Scan to Pay knows it. */
    public Optional<Range> range(String bin) {
        if (bin == null || !bin.matches("[0-9]{6}")) {
            return Optional.empty();
        }
        int b = Integer.parseInt(bin);
        return ranges.stream().filter(r -> r.holds(b)).findFirst();
    }

    /** How a BIN's purchases are authenticated: its range's method, CNP when no range has it. */
    public Method method(String bin) {
        return range(bin).map(Range::method).orElse(Method.CNP);
    }

    /**
     * Whether a card of this BIN and expiry may pay by USSD in {@code thisMonth}; the refusal
     * names {@code field} (the request field the card came from).
     */
    public Optional<Refusal> refusal(String bin, YearMonth expiry, YearMonth thisMonth, String field) {
        Optional<Range> range = range(bin);
        Method method = range.map(Range::method).orElse(Method.CNP);
        int status = method == Method.THREE_DS ? StpErrors.THREE_DS_NOT_WHITELISTED : StpErrors.CNP_NOT_WHITELISTED;
        String purchase = method == Method.THREE_DS ? "USSD 3-D Secure purchases" : "USSD card-not-present purchases";
        if (range.isEmpty() || !range.get().whitelisted()) {
            return Optional.of(new Refusal(status, field + ": the card's BIN is not whitelisted for " + purchase));
        }
        if (expiry.isBefore(thisMonth)) {
            return Optional.of(new Refusal(status, field + ": the card has expired (" + expiry + "), and an expired "
                    + "card's expiry is not whitelisted for " + purchase));
        }
        if (expiry.isAfter(range.get().lastExpiry())) {
            return Optional.of(new Refusal(status, field + ": the card's expiry (" + expiry + ") is not whitelisted for "
                    + purchase + " of its BIN (latest " + range.get().lastExpiry() + ")"));
        }
        return Optional.empty();
    }
}
