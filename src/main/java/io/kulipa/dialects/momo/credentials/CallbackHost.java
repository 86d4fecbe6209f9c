package io.kulipa.dialects.momo.credentials;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host an API user's callbacks may go to. MoMo asks for a bare host
 * ({@code webhook.site}), but clients in the wild send a whole URL
 * ({@code https://webhook.site/abc}); both are accepted and only the host is kept, lower case,
 * without port or trailing dot, so that a callback URL is later checked by host alone.
 */
public record CallbackHost(String host) {

    public static final int MAX_INPUT_CHARS = 2048;
    private static final int MAX_HOST_CHARS = 253;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");

    public CallbackHost {
        if (host == null || !valid(host)) {
            throw new IllegalArgumentException("not a host name: " + host);
        }
    }

    /** The host of a bare host or of a URL, or empty when there is none. */
    public static Optional<CallbackHost> parse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_INPUT_CHARS) {
            return Optional.empty();
        }
        String t = text.trim();
        // A bare host (with or without port or path) is read as the authority of an http URL.
        String url = t.contains("://") ? t : "http://" + t;
        try {
            URI uri = new URI(url);
            String host = uri.getHost();
            if (host == null) {
                return Optional.empty();
            }
            host = host.toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            return valid(host) ? Optional.of(new CallbackHost(host)) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Whether a callback URL (or bare host) names this host. */
    public boolean matches(String urlOrHost) {
        return parse(urlOrHost).filter(this::equals).isPresent();
    }

    private static boolean valid(String host) {
        return !host.isEmpty() && host.length() <= MAX_HOST_CHARS
                && (NAME.matcher(host).matches() || IPV6.matcher(host).matches());
    }

    @Override
    public String toString() {
        return host;
    }
}
