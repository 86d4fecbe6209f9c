package io.kulipa.money;

import java.util.List;

/**
 * A country as payments see it: ISO 3166-1 alpha-3 code, its currency, and the shape of its
 * mobile numbers (dialling code and the total digit counts a full MSISDN may have).
 */
public record CountryRules(String code, String name, String currency, String dialCode, List<Integer> msisdnLengths) {

    public CountryRules {
        msisdnLengths = List.copyOf(msisdnLengths);
    }

    /** True when the number is well formed and is a number of this country. */
    public boolean accepts(String msisdn) {
        return Msisdn.isWellFormed(msisdn)
                && msisdn.startsWith(dialCode)
                && msisdnLengths.contains(msisdn.length());
    }
}
