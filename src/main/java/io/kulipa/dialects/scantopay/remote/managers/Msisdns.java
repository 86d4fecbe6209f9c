package io.kulipa.dialects.scantopay.remote.managers;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MSISDN of the Remote API, its wallet's user id: international format only
 * ({@code 27832006283}); a leading {@code +} is accepted and stripped; a national number
 * ({@code 0832006283}) is refused, as is anything that is not 8 to 15 digits (E.164's bound).
 */
public final class Msisdns {

    /** E.164 allows at most 15 digits; no country's international number is below 8. */
    private static final Pattern INTERNATIONAL = Pattern.compile("[1-9][0-9]{7,14}");

    private Msisdns() {
    }

    /** The MSISDN as stored (digits, no '+'), or empty when it is not in international format. */
    public static Optional<String> international(String given) {
        if (given == null) {
            return Optional.empty();
        }
        String digits = given.strip();
        if (digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        return INTERNATIONAL.matcher(digits).matches() ? Optional.of(digits) : Optional.empty();
    }

    /** Why {@code given} is refused, naming the field, or null when it is a valid MSISDN. */
    public static String problem(String given) {
        if (given == null || given.isBlank()) {
            return "msisdn: required, in international format such as 27832006283";
        }
        if (international(given).isPresent()) {
            return null;
        }
        String s = given.strip();
        return s.startsWith("0") ? "msisdn: national format is refused; send the international format "
                + "(27832006283, not 0832006283)" : "msisdn: must be the international number, 8 to 15 digits";
    }
}
