package io.kulipa.ussd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A USSD string as dialled: {@code *}, groups of digits separated by {@code *}, and a closing
 * {@code #} ({@code *120*777#}). A longer string dialled on a registered code
 * ({@code *120*777*1*2#}) opens that code's session with the extra groups as the first inputs,
 * as aggregators do for shortcut dialling.
 */
public record ServiceCode(List<String> groups) {

    /** GSM 02.90 keeps a USSD string to 182 characters; service codes are much shorter in practice. */
    public static final int DIALLED_MAX_CHARS = 40;
    /** A registered code has at most this many groups of digits ({@code *120*777*1#} has three). */
    public static final int REGISTERED_GROUPS_MAX = 4;
    /** One group is at most this many digits. */
    public static final int GROUP_MAX_DIGITS = 6;
    private static final Pattern DIALLED = Pattern.compile("^\\*[0-9]{1,6}(\\*[0-9]{1,20})*#$");

    public ServiceCode {
        groups = List.copyOf(groups);
    }

    /** The dialled string read leniently about blanks, or empty when it is not a USSD string. */
    public static Optional<ServiceCode> parse(String dialled) {
        if (dialled == null) {
            return Optional.empty();
        }
        String s = dialled.replace(" ", "").trim();
        if (s.length() > DIALLED_MAX_CHARS || !DIALLED.matcher(s).matches()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceCode(List.of(s.substring(1, s.length() - 1).split("\\*"))));
    }

    /** A code an application may be registered on: at most {@link #REGISTERED_GROUPS_MAX} short groups. */
    public static Optional<ServiceCode> registrable(String code) {
        return parse(code).filter(c -> c.groups.size() <= REGISTERED_GROUPS_MAX
                && c.groups.stream().allMatch(g -> g.length() <= GROUP_MAX_DIGITS));
    }

    /** This code and every shorter one it starts with, longest first: where a session may belong. */
    public List<ServiceCode> prefixes() {
        List<ServiceCode> out = new ArrayList<>();
        for (int n = Math.min(groups.size(), REGISTERED_GROUPS_MAX); n >= 1; n--) {
            out.add(new ServiceCode(groups.subList(0, n)));
        }
        return out;
    }

    /** The groups after those of {@code registered}: the inputs the customer dialled ahead. */
    public List<String> after(ServiceCode registered) {
        return groups.subList(registered.groups.size(), groups.size());
    }

    @Override
    public String toString() {
        return "*" + String.join("*", groups) + "#";
    }
}
