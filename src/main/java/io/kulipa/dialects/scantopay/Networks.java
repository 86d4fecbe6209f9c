package io.kulipa.dialects.scantopay;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The South African mobile networks a WIG purchase names, detected from the MSISDN with
 * libphonenumber's carrier data (the range each network was given; a ported number is detected as
 * its original network, as Prediction does for pawaPay).
 */
public final class Networks {

    public enum Network { MTN, VODACOM, CELLC, TELKOM }

    /** A South African MSISDN: 27 then nine digits. */
    private static final java.util.regex.Pattern MSISDN = java.util.regex.Pattern.compile("27[0-9]{9}");
    private static final PhoneNumberUtil NUMBERS = PhoneNumberUtil.getInstance();
    private static final PhoneNumberToCarrierMapper CARRIERS = PhoneNumberToCarrierMapper.getInstance();
    /** Carrier names in libphonenumber's data and the network each is. */
    private static final List<java.util.Map.Entry<String, Network>> CARRIER_NAMES = List.of(
            java.util.Map.entry("mtn", Network.MTN), java.util.Map.entry("vodacom", Network.VODACOM),
            java.util.Map.entry("cell c", Network.CELLC), java.util.Map.entry("telkom", Network.TELKOM),
            java.util.Map.entry("8ta", Network.TELKOM));

    private Networks() {
    }

    public static boolean validMsisdn(String msisdn) {
        return msisdn != null && MSISDN.matcher(msisdn).matches();
    }

    /** The network of a South African MSISDN, or empty when libphonenumber knows none of the four. */
    public static Optional<Network> detect(String msisdn) {
        if (!validMsisdn(msisdn)) {
            return Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber number = NUMBERS.parse("+" + msisdn, "ZA");
            String carrier = CARRIERS.getNameForNumber(number, Locale.ENGLISH).toLowerCase(Locale.ROOT);
            return CARRIER_NAMES.stream().filter(e -> carrier.contains(e.getKey())).map(java.util.Map.Entry::getValue)
                    .findFirst();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** A network named in a path (any case), or empty when it is none of the four. */
    public static Optional<Network> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.toUpperCase(Locale.ROOT).replace(" ", "").replace("_", "");
        for (Network network : Network.values()) {
            if (network.name().equals(n)) {
                return Optional.of(network);
            }
        }
        return Optional.empty();
    }
}
