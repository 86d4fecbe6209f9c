package io.kulipa.callbacks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses callback URLs that would make Kulipa call into its own network (SSRF): loopback,
 * private, link-local, carrier-grade NAT, unique-local and wildcard addresses. Hosts on the
 * allow-list pass; so do loopback addresses when the sandbox allows them.
 */
public final class UrlGuard {

    private final boolean allowLoopback;
    private final Set<String> allowedHosts;

    public UrlGuard(boolean allowLoopback, Set<String> allowedHosts) {
        this.allowLoopback = allowLoopback;
        this.allowedHosts = Set.copyOf(allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    /** Empty when the URL may be called; otherwise why not. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("callback URL is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("callback URL must use http or https");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("callback URL has no host");
        }
        if (allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                Optional<String> refused = refusal(address);
                if (refused.isPresent()) {
                    return refused;
                }
            }
        } catch (UnknownHostException e) {
            return Optional.of("callback host does not resolve");
        }
        return Optional.empty();
    }

    private Optional<String> refusal(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return allowLoopback ? Optional.empty() : Optional.of("callback host is a loopback address");
        }
        byte[] b = a.getAddress();
        boolean carrierNat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        if (a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()
                || carrierNat || uniqueLocal) {
            return Optional.of("callback host is a private, link-local or reserved address");
        }
        return Optional.empty();
    }
}
