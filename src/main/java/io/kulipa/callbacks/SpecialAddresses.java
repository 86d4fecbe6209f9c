package io.kulipa.callbacks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The IANA IPv4 and IPv6 special-purpose address registries (RFC 6890 and its updates), as data,
 * plus the multicast and deprecated site-local blocks, which the registries leave to others. A
 * callback must never be sent to any of these: they are private networks, the gateway's own
 * host, translation prefixes that lead back into them, or addresses with no public owner.
 * Ranges are listed most specific first, so that a match names the narrowest one.
 */
final class SpecialAddresses {

    /** One registry entry: a CIDR block and the name the registry gives it. */
    record Range(String cidr, String name, byte[] prefix, int bits) {

        static Range of(String cidr, String name) {
            int slash = cidr.indexOf('/');
            try {
                byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                return new Range(cidr, name, prefix, Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not a CIDR block: " + cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    /** Loopback, which the sandbox may allow: its merchants' receivers run on the developer's machine. */
    static final String LOOPBACK = "Loopback";

    static final List<Range> IPV4 = List.of(
            Range.of("0.0.0.0/32", "This host on this network"),
            Range.of("0.0.0.0/8", "This network"),
            Range.of("10.0.0.0/8", "Private-Use"),
            Range.of("100.64.0.0/10", "Shared Address Space"),
            Range.of("127.0.0.0/8", LOOPBACK),
            Range.of("169.254.0.0/16", "Link Local"),
            Range.of("172.16.0.0/12", "Private-Use"),
            Range.of("192.0.0.0/29", "IPv4 Service Continuity Prefix"),
            Range.of("192.0.0.8/32", "IPv4 dummy address"),
            Range.of("192.0.0.9/32", "Port Control Protocol Anycast"),
            Range.of("192.0.0.10/32", "Traversal Using Relays around NAT Anycast"),
            Range.of("192.0.0.170/32", "NAT64/DNS64 Discovery"),
            Range.of("192.0.0.171/32", "NAT64/DNS64 Discovery"),
            Range.of("192.0.0.0/24", "IETF Protocol Assignments"),
            Range.of("192.0.2.0/24", "Documentation (TEST-NET-1)"),
            Range.of("192.31.196.0/24", "AS112-v4"),
            Range.of("192.52.193.0/24", "AMT"),
            Range.of("192.88.99.2/32", "6a44-relay anycast address"),
            Range.of("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)"),
            Range.of("192.168.0.0/16", "Private-Use"),
            Range.of("192.175.48.0/24", "Direct Delegation AS112 Service"),
            Range.of("198.18.0.0/15", "Benchmarking"),
            Range.of("198.51.100.0/24", "Documentation (TEST-NET-2)"),
            Range.of("203.0.113.0/24", "Documentation (TEST-NET-3)"),
            Range.of("224.0.0.0/4", "Multicast (RFC 5771)"),
            Range.of("255.255.255.255/32", "Limited Broadcast"),
            Range.of("240.0.0.0/4", "Reserved"));

    static final List<Range> IPV6 = List.of(
            Range.of("::1/128", LOOPBACK),
            Range.of("::/128", "Unspecified Address"),
            Range.of("::ffff:0:0/96", "IPv4-mapped Address"),
            Range.of("::/96", "IPv4-compatible Address (deprecated, RFC 4291)"),
            Range.of("64:ff9b::/96", "IPv4-IPv6 Translation (NAT64)"),
            Range.of("64:ff9b:1::/48", "IPv4-IPv6 Translation, local use (NAT64)"),
            Range.of("100::/64", "Discard-Only Address Block"),
            Range.of("100:0:0:1::/64", "Dummy IPv6 Prefix"),
            Range.of("2001:1::1/128", "Port Control Protocol Anycast"),
            Range.of("2001:1::2/128", "Traversal Using Relays around NAT Anycast"),
            Range.of("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast"),
            Range.of("2001:2::/48", "Benchmarking"),
            Range.of("2001:3::/32", "AMT"),
            Range.of("2001:4:112::/48", "AS112-v6"),
            Range.of("2001:10::/28", "Deprecated (previously ORCHID)"),
            Range.of("2001:20::/28", "ORCHIDv2"),
            Range.of("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix"),
            Range.of("2001::/32", "TEREDO"),
            Range.of("2001::/23", "IETF Protocol Assignments"),
            Range.of("2001:db8::/32", "Documentation"),
            Range.of("2002::/16", "6to4"),
            Range.of("2620:4f:8000::/48", "Direct Delegation AS112 Service"),
            Range.of("3fff::/20", "Documentation"),
            Range.of("5f00::/16", "Segment Routing (SRv6) SIDs"),
            Range.of("fc00::/7", "Unique-Local"),
            Range.of("fe80::/10", "Link-Local Unicast"),
            Range.of("fec0::/10", "Site-Local (deprecated, RFC 3879)"),
            Range.of("ff00::/8", "Multicast (RFC 4291)"));

    private static final Range NAT64 = named("64:ff9b::/96");
    private static final Range SIX_TO_FOUR = named("2002::/16");
    private static final Range IPV4_COMPATIBLE = named("::/96");
    private static final Range IPV6_LOOPBACK = named("::1/128");
    private static final Range IPV6_UNSPECIFIED = named("::/128");

    private SpecialAddresses() {
    }

    private static Range named(String cidr) {
        return IPV6.stream().filter(r -> r.cidr().equals(cidr)).findFirst().orElseThrow();
    }

    /** The narrowest special-purpose range holding the address, if any. */
    static Optional<Range> rangeOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range r : bytes.length == 4 ? IPV4 : IPV6) {
            if (r.contains(bytes)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The IPv4 address an IPv6 address of a translation or transition range carries (NAT64's
     * well-known prefix, 6to4, IPv4-compatible), so that a refusal can say where it would lead;
     * the range is refused whatever it carries. IPv4-mapped addresses never get here: the JDK
     * turns them into the IPv4 address itself, which is then checked as such.
     */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        int at;
        if (b.length != 16) {
            return Optional.empty();
        } else if (NAT64.contains(b) || (IPV4_COMPATIBLE.contains(b) && !IPV6_LOOPBACK.contains(b)
                && !IPV6_UNSPECIFIED.contains(b))) {
            at = 12;
        } else if (SIX_TO_FOUR.contains(b)) {
            at = 2;
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(new byte[]{b[at], b[at + 1], b[at + 2], b[at + 3]}));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
