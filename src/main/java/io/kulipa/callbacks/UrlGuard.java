package io.kulipa.callbacks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses callback URLs that would make Kulipa call into its own network (SSRF): every address
 * of IANA's IPv4 and IPv6 special-purpose registries ({@link SpecialAddresses}: loopback,
 * private, link-local, shared, benchmarking, reserved, broadcast, translation prefixes such as
 * NAT64 and 6to4 that lead back into them). Hosts on the allow-list pass; so do loopback
 * addresses when the sandbox allows them.
 *
 * <p>A URL is checked twice: when it is configured ({@link #refusal}), to answer the merchant
 * at once, and when a callback is sent ({@link #destination}), because the name may resolve
 * elsewhere by then (DNS rebinding). The sender connects only to the address the second check
 * returned, so no later lookup can change where the request goes.
 */
public final class UrlGuard {

    /** Looks a host name up; a seam so that tests can play DNS rebinding without a network. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Where a callback URL may be sent, or why not. */
    public sealed interface Destination {
        /** Send to {@code address}; {@code allowListed} hosts are sent to by name, unchecked. */
        record Checked(URI uri, InetAddress address, boolean allowListed) implements Destination {
        }

        record Refused(String reason) implements Destination {
        }
    }

    private final boolean allowLoopback;
    private final Set<String> allowedHosts;
    private final Resolver resolver;

    public UrlGuard(boolean allowLoopback, Set<String> allowedHosts) {
        this(allowLoopback, allowedHosts, InetAddress::getAllByName);
    }

    public UrlGuard(boolean allowLoopback, Set<String> allowedHosts, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.allowedHosts = Set.copyOf(allowedHosts.stream().map(UrlGuard::bare).toList());
        this.resolver = resolver;
    }

    /** Empty when the URL may be called; otherwise why not. */
    public Optional<String> refusal(String url) {
        return destination(url) instanceof Destination.Refused r ? Optional.of(r.reason()) : Optional.empty();
    }

    /**
     * Resolves the URL's host now and checks every address it has: one refused address refuses
     * the URL, since the connection could otherwise land on it. The first address is the one to
     * connect to, as the JDK's own client would pick.
     */
    public Destination destination(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return new Destination.Refused("callback URL is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new Destination.Refused("callback URL must use http or https");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return new Destination.Refused("callback URL has no host");
        }
        if (allowedHosts.contains(bare(host))) {
            return new Destination.Checked(uri, null, true);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare(host));
        } catch (UnknownHostException e) {
            return new Destination.Refused("callback host does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            return new Destination.Refused("callback host does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = refusal(address);
            if (refused.isPresent()) {
                return new Destination.Refused(refused.get());
            }
        }
        return new Destination.Checked(uri, addresses[0], false);
    }

    /** The host without IPv6 brackets or a trailing dot, lower case: how the allow-list names it. */
    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private Optional<String> refusal(InetAddress a) {
        Optional<SpecialAddresses.Range> range = SpecialAddresses.rangeOf(a);
        if (range.isEmpty()) {
            return Optional.empty();
        }
        if (allowLoopback && range.get().name().equals(SpecialAddresses.LOOPBACK)) {
            return Optional.empty();
        }
        String leadsTo = SpecialAddresses.embeddedIpv4(a)
                .map(v4 -> " carrying " + v4.getHostAddress()
                        + SpecialAddresses.rangeOf(v4).map(r -> " (" + r.name() + ")").orElse(""))
                .orElse("");
        return Optional.of("callback host is a special-purpose address: " + range.get().name() + " "
                + range.get().cidr() + leadsTo);
    }
}
