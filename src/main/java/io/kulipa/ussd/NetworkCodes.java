package io.kulipa.ussd;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code networkCode} of the protocol: the mobile network (MCC + MNC, "63902" for Safaricom)
 * a number belongs to, by libphonenumber's carrier data for the range and a table of network
 * codes ({@code ussd/network-codes.csv}). A number no row matches gets {@link #UNKNOWN}, the code
 * Africa's Talking's own simulator sends.
 */
public final class NetworkCodes {

    public static final String UNKNOWN = "99999";
    private static final String RESOURCE = "/ussd/network-codes.csv";
    private static final int ROWS_MAX = 1_000;

    private record Row(String region, String carrierStart, String code) {
    }

    private final List<Row> rows;
    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final PhoneNumberToCarrierMapper carriers = PhoneNumberToCarrierMapper.getInstance();

    private NetworkCodes(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    public static NetworkCodes loadDefault() {
        try (InputStream in = NetworkCodes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            List<Row> rows = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null && rows.size() < ROWS_MAX; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 3) {
                    throw new IllegalStateException(RESOURCE + ": '" + line + "' is not region,carrier,code");
                }
                rows.add(new Row(f[0].trim(), f[1].trim().toLowerCase(Locale.ROOT), f[2].trim()));
            }
            return new NetworkCodes(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network code of an international number (digits, no '+'). */
    public String of(String msisdn) {
        try {
            Phonenumber.PhoneNumber n = util.parse("+" + msisdn, "ZZ");
            String region = util.getRegionCodeForNumber(n);
            String carrier = carriers.getNameForNumber(n, Locale.ENGLISH).toLowerCase(Locale.ROOT);
            if (region == null || carrier.isEmpty()) {
                return UNKNOWN;
            }
            return rows.stream().filter(r -> r.region.equals(region) && carrier.startsWith(r.carrierStart))
                    .map(Row::code).findFirst().orElse(UNKNOWN);
        } catch (NumberParseException e) {
            return UNKNOWN;
        }
    }
}
