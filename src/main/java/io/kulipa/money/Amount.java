package io.kulipa.money;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An exact, non-negative amount of money as written on the wire.
 *
 * <p>The wire text is kept beside the value because merchants expect to see their own
 * "15" or "15.00" echoed back, while every comparison and sum uses the exact decimal.
 */
public record Amount(BigDecimal value, String text) {

    /** Whole part: "0" or up to 18 digits with no leading zero; at most two decimal places. */
    private static final Pattern WIRE_FORMAT = Pattern.compile("^(0|[1-9][0-9]{0,17})(\\.[0-9]{1,2})?$");
    public static final int MAX_TEXT_LENGTH = 23;

    public Amount {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("amount must not be negative");
        }
    }

    /** Parses the pawaPay amount string; empty when the text breaks the format rules. */
    public static Optional<Amount> parse(String text) {
        if (text == null || text.length() > MAX_TEXT_LENGTH || !WIRE_FORMAT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Amount(new BigDecimal(text), text));
    }

    public static Amount of(BigDecimal value) {
        return new Amount(value, plain(value));
    }

    /** Decimal places that carry a value: "5.50" has one, "5.00" has none. */
    public int significantDecimals() {
        return Math.max(0, value.stripTrailingZeros().scale());
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    /** The plain text of a value without trailing zeros, as an amount on the wire. */
    public static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() < 0) {
            stripped = stripped.setScale(0);
        }
        return stripped.toPlainString();
    }
}
