package io.kulipa.callbacks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Sends one callback request through the {@link UrlGuard} (SSRF), with bounded waits and no redirects.
 *
 * <p>The guard resolves and checks the host at send time, and the request connects to that
 * checked address, never resolving the name again (a name checked a moment before could by then
 * point at the gateway's own network: DNS rebinding). The original name goes where the server
 * reads it: the {@code Host} header and, for https, the TLS server name (SNI), which the
 * certificate is also verified against. Allow-listed hosts are sent to by name, as written.
 * Redirects are never followed: a redirect could lead anywhere, unchecked.
 *
 * <p>The requests go through {@link Http11Client}, a blocking HTTP/1.1 client of Kulipa's own
 * with a keep-alive pool: each request is one write and a read of the answer on the caller's
 * (virtual) thread. It replaced java.net.http's client, whose asynchronous machinery (selector
 * thread, exchanges, filter chains, futures) took 18 % of the gateway's CPU samples under load
 * (issue 14's profile), and which needed {@code jdk.httpclient.allowRestrictedHeaders=host} to
 * send the {@code Host} header.
 */
public final class CallbackSender {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int ERROR_MAX_CHARS = 500;
    /** A callback's answer body is read (to keep the connection) up to this; past it the connection is closed. */
    private static final int DISCARDED_BODY_MAX = 64 * 1024;
    private static final int IDLE_PER_TARGET = 16;
    private static final int IDLE_TOTAL = 256;
    private static final Duration IDLE_TIME = Duration.ofSeconds(30);

    private final UrlGuard guard;
    private final CallbackSigner signer;
    private final Http11Client client;

    public CallbackSender(UrlGuard guard) {
        this(guard, CallbackSigner.NONE);
    }

    /** @param signer adds the signature headers of merchants whose callbacks are signed */
    public CallbackSender(UrlGuard guard, CallbackSigner signer) {
        this(guard, defaultTls(), signer);
    }

    /** With the TLS context a test trusts its own certificate in. */
    CallbackSender(UrlGuard guard, SSLContext tls) {
        this(guard, tls, CallbackSigner.NONE);
    }

    private CallbackSender(UrlGuard guard, SSLContext tls, CallbackSigner signer) {
        this.guard = guard;
        this.signer = signer;
        this.client = new Http11Client(tls, IDLE_PER_TARGET, IDLE_TOTAL, IDLE_TIME);
    }

    /**
     * What one request came to.
     *
     * @param httpStatus null when no HTTP answer came back
     * @param refused    the guard refused the URL, so nothing was sent and a retry would not help
     */
    public record Answer(Integer httpStatus, String error, long durationMillis, boolean refused) {
    }

    /** Sends a callback, signed when its merchant asked for signed callbacks. */
    public Answer send(Callback callback) {
        return send(callback, callback.url(), callback.method(), callback.body(), callback.contentType());
    }

    public Answer send(String url, String method, String jsonBody) {
        return send(null, url, method, jsonBody, Callback.JSON);
    }

    private Answer send(Callback callback, String url, String method, String jsonBody, String contentType) {
        UrlGuard.Destination destination = guard.destination(url);
        if (destination instanceof UrlGuard.Destination.Refused r) {
            return new Answer(null, r.reason(), 0, true);
        }
        UrlGuard.Destination.Checked checked = (UrlGuard.Destination.Checked) destination;
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
            // Signed over the URL as configured: the merchant sees its own host, not the checked address.
            Map<String, String> headers = callback == null ? Map.of()
                    : signer.headers(callback, checked.uri(), method, body);
            status = client.send(http11Target(checked), method, requestTarget(checked.uri()), contentType, headers,
                    body, CONNECT_TIMEOUT, REQUEST_TIMEOUT, DISCARDED_BODY_MAX, false).status();
        } catch (Exception e) {
            // Kept with the attempt for the merchant's resend tools, not logged.
            error = error(e);
        }
        return new Answer(status, error, (System.nanoTime() - started) / 1_000_000, false);
    }

    /**
     * What a request that reads its answer came to (the USSD gateway's steps).
     *
     * @param httpStatus null when no HTTP answer came back; then {@code error} says why
     * @param tooLong    the body went on past {@code bodyMaxChars}; {@code body} holds only its start
     */
    public record Exchange(Integer httpStatus, String body, boolean tooLong, String error) {
    }

    /**
     * POSTs a body through the same guard and pinning as a callback, and reads at most
     * {@code bodyMaxChars} characters (UTF-8) of the answer.
     */
    public Exchange exchange(String url, String contentType, byte[] body, Duration timeout, int bodyMaxChars) {
        UrlGuard.Destination destination = guard.destination(url);
        if (destination instanceof UrlGuard.Destination.Refused r) {
            return new Exchange(null, null, false, r.reason());
        }
        UrlGuard.Destination.Checked checked = (UrlGuard.Destination.Checked) destination;
        try {
            // UTF-8 takes at most 4 bytes a char: this many bytes hold more than bodyMaxChars chars.
            int bodyLimit = (int) Math.min(4L * bodyMaxChars + 4, Integer.MAX_VALUE - 8);
            Http11Client.Response response = client.send(http11Target(checked), "POST",
                    requestTarget(checked.uri()), contentType, Map.of(), body, CONNECT_TIMEOUT, timeout, bodyLimit,
                    true);
            String text = new String(response.body(), StandardCharsets.UTF_8);
            boolean tooLong = !response.complete() || text.length() > bodyMaxChars;
            return new Exchange(response.status(), tooLong ? text.substring(0, Math.min(text.length(), bodyMaxChars))
                    : text, tooLong, null);
        } catch (Exception e) {
            return new Exchange(null, null, false, error(e));
        }
    }

    /** What a failed request is recorded with: the exception's kind and message, never a header or body. */
    private static String error(Exception e) {
        if (Thread.currentThread().isInterrupted()) {
            return "interrupted";
        }
        String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return error.length() > ERROR_MAX_CHARS ? error.substring(0, ERROR_MAX_CHARS) : error;
    }

    /** Where the client connects: the checked address (or, allow-listed, the host by name), and the names it sends. */
    static Http11Client.Target http11Target(UrlGuard.Destination.Checked checked) {
        URI uri = checked.uri();
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        return new Http11Client.Target(tls, checked.allowListed() ? null : checked.address(), bareHost(uri.getHost()),
                port, hostHeader(uri));
    }

    /** The host without IPv6 brackets or a trailing dot, lower case: the TLS server name. */
    private static String bareHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = stripScope(h.substring(1, h.length() - 1));
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** The path and query as written in the URL. */
    static String requestTarget(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static String stripScope(String v6) {
        int percent = v6.indexOf('%');
        return percent < 0 ? v6 : v6.substring(0, percent);
    }

    static String hostHeader(URI uri) {
        return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }
}
