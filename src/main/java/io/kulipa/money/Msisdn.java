package io.kulipa.money;

/**
 * A mobile number in international form: digits only, country code first, no '+', no
 * leading zero. Whether it belongs to a given country is decided by {@link CountryRules}.
 */
public record Msisdn(String value) {

    public static final int MAX_DIGITS = 15;

    public Msisdn {
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("MSISDN must be 1 to 15 digits without a leading zero");
        }
    }

    public static boolean isWellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_DIGITS || value.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
