package io.kulipa.providers;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.kulipa.money.CountryRules;
import io.kulipa.money.Msisdn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Predicts the correspondent of a phone number, as pawaPay's predict-correspondent does.
 *
 * <p>The number is sanitised the way the spec says (the leading '+', whitespace and every
 * other non-digit are dropped), its country is found by dialling code and its length checked
 * against the country's rules. The correspondent is then the one whose catalog prefix is the
 * longest that starts the number; failing that, libphonenumber's carrier data names the
 * network that was given the number range, and that name is matched to a correspondent of the
 * country. Ported numbers are mispredicted, as they are by pawaPay (Benin most of all).
 *
 * <p>Immutable and thread-safe; libphonenumber's mapper is itself thread-safe.
 */
public final class Prediction {

    /** Raw input longer than this is refused before any work: no phone number is this long. */
    public static final int MAX_RAW_LENGTH = 64;

    /**
     * Carrier names in libphonenumber's data that differ from the brand a correspondent is
     * named after: the network of M-Pesa, Halotel's parent, and rebrandings.
     */
    private static final Map<String, String> CARRIER_ALIASES = Map.of(
            "SAFARICOM", "MPESA",
            "VIETTEL", "HALOTEL",
            "TELECEL", "VODAFONE",
            "AT", "AIRTELTIGO",
            "YAS", "TIGO");
    /** Aliases that hold in one country only, keyed "COUNTRY:CARRIER": Tigo Rwanda became Airtel in 2018. */
    private static final Map<String, String> COUNTRY_CARRIER_ALIASES = Map.of(
            "RWA:TIGO", "AIRTEL");
    /** A carrier and a correspondent name match by a common start only when it is this long. */
    private static final int MIN_PARTIAL_MATCH_LENGTH = 3;

    /** A prediction: the country, the operator as the catalog names it, the correspondent, the clean number. */
    public record Predicted(String country, String operator, String correspondent, String msisdn) {
    }

    /** Why a number has no prediction; the API words it for the caller. */
    public enum Miss {
        /** No digits, too long, or a leading zero once sanitised. */
        MALFORMED,
        /** No supported country has the number's dialling code. */
        UNKNOWN_COUNTRY,
        /** The country is known but numbers there do not have this many digits. */
        WRONG_LENGTH,
        /** A number of a supported country that belongs to no correspondent of the catalog. */
        NO_CORRESPONDENT
    }

    /** Either a prediction or the reason there is none. */
    public record Outcome(Optional<Predicted> predicted, Miss miss, String msisdn, String country) {
        static Outcome found(Predicted p) {
            return new Outcome(Optional.of(p), null, p.msisdn(), p.country());
        }

        static Outcome missed(Miss miss, String msisdn, String country) {
            return new Outcome(Optional.empty(), miss, msisdn, country);
        }
    }

    private final Catalog catalog;
    private final PhoneNumberUtil phoneNumbers = PhoneNumberUtil.getInstance();
    private final PhoneNumberToCarrierMapper carriers = PhoneNumberToCarrierMapper.getInstance();

    public Prediction(Catalog catalog) {
        this.catalog = catalog;
    }

    public Optional<Predicted> predict(String rawMsisdn) {
        return resolve(rawMsisdn).predicted();
    }

    /** Like {@link #predict}, with the reason when there is no prediction. */
    public Outcome resolve(String rawMsisdn) {
        String msisdn = sanitise(rawMsisdn);
        if (msisdn == null || !Msisdn.isWellFormed(msisdn)) {
            return Outcome.missed(Miss.MALFORMED, msisdn, null);
        }
        Optional<CountryRules> country = catalog.countryOfMsisdn(msisdn);
        if (country.isEmpty()) {
            return Outcome.missed(Miss.UNKNOWN_COUNTRY, msisdn, null);
        }
        if (!country.get().accepts(msisdn)) {
            return Outcome.missed(Miss.WRONG_LENGTH, msisdn, country.get().code());
        }
        List<Correspondent> candidates = catalog.correspondents().stream()
                .filter(c -> c.country().equals(country.get().code())).toList();
        Optional<Correspondent> chosen = byPrefix(candidates, msisdn).or(() -> byCarrier(candidates, msisdn));
        return chosen.map(c -> Outcome.found(new Predicted(c.country(), c.mno(), c.id(), msisdn)))
                .orElseGet(() -> Outcome.missed(Miss.NO_CORRESPONDENT, msisdn, country.get().code()));
    }

    /**
     * Keeps the digits of the input: the spec drops the leading '+', whitespace and every other
     * non-numeric character. Null when the input is missing or unreasonably long.
     */
    public static String sanitise(String raw) {
        if (raw == null || raw.length() > MAX_RAW_LENGTH) {
            return null;
        }
        StringBuilder digits = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    private static Optional<Correspondent> byPrefix(List<Correspondent> candidates, String msisdn) {
        Correspondent best = null;
        int bestLength = 0;
        for (Correspondent c : candidates) {
            for (String prefix : c.prefixes()) {
                if (prefix.length() > bestLength && msisdn.startsWith(prefix)) {
                    best = c;
                    bestLength = prefix.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<Correspondent> byCarrier(List<Correspondent> candidates, String msisdn) {
        String carrier;
        try {
            Phonenumber.PhoneNumber number = phoneNumbers.parse("+" + msisdn, "ZZ");
            // The length was checked against the catalog already; libphonenumber's own validity
            // rules lag behind numbering changes, so its range data is read without them.
            carrier = carriers.getNameForValidNumber(number, Locale.ENGLISH);
        } catch (NumberParseException e) {
            return Optional.empty();
        }
        return matchCarrier(candidates, carrier);
    }

    /**
     * The correspondent a carrier name stands for. The name is matched to the words of the
     * correspondent's id (MOOV in MOOV_BEN, MPESA in VODACOM_MPESA_COD) before its MNO name,
     * because the catalog's MNO names are the spec's and some are shared (MOOV_BEN's is "MTN").
     * A partial match must share a start of at least three letters: plain "contains" would
     * take Ghana's "National Security" range for AirtelTigo, whose MNO name is "AT".
     * Empty when nothing matches or two correspondents match equally well.
     */
    static Optional<Correspondent> matchCarrier(List<Correspondent> candidates, String carrierName) {
        String brand = normalise(carrierName);
        if (brand.isEmpty()) {
            return Optional.empty();
        }
        String country = candidates.isEmpty() ? "" : candidates.getFirst().country();
        String local = COUNTRY_CARRIER_ALIASES.get(country + ":" + brand);
        brand = local != null ? local : CARRIER_ALIASES.getOrDefault(brand, brand);
        List<Correspondent> best = new ArrayList<>();
        int bestScore = 0;
        for (Correspondent c : candidates) {
            int score = score(brand, c);
            if (score > bestScore) {
                best.clear();
                bestScore = score;
            }
            if (score > 0 && score == bestScore) {
                best.add(c);
            }
        }
        return best.size() == 1 ? Optional.of(best.getFirst()) : Optional.empty();
    }

    private static int score(String brand, Correspondent c) {
        String[] words = c.id().split("_");
        List<String> idWords = List.of(words).subList(0, Math.max(1, words.length - 1));
        String mno = normalise(c.mno());
        if (idWords.contains(brand)) {
            return 3;
        }
        if (mno.equals(brand)) {
            return 2;
        }
        for (String word : idWords) {
            if (sharesStart(brand, word)) {
                return 1;
            }
        }
        return sharesStart(brand, mno) ? 1 : 0;
    }

    private static boolean sharesStart(String a, String b) {
        return a.length() <= b.length()
                ? a.length() >= MIN_PARTIAL_MATCH_LENGTH && b.startsWith(a)
                : b.length() >= MIN_PARTIAL_MATCH_LENGTH && a.startsWith(b);
    }

    private static String normalise(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toUpperCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
