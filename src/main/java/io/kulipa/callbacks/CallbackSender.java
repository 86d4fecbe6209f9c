package io.kulipa.callbacks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Sends one callback request through the {@link UrlGuard} (SSRF), with bounded waits and no redirects.
 *
 * <p>java.net.http has no resolver hook, and it looks the host up again when it connects, so a
 * name checked a moment before could by then point at the gateway's own network (DNS
 * rebinding). The sender therefore never lets the client resolve a callback host: the guard
 * resolves and checks it at send time, and the request goes to that checked IP literal, with
 * the original name where the server reads it: the {@code Host} header (allowed through
 * {@code jdk.httpclient.allowRestrictedHeaders=host}, set below before the client's classes
 * read it) and, for https, the TLS server name (SNI), which the JDK's trust manager also checks
 * the certificate against. SNI is a setting of the client, not of a request, so each host name
 * gets a client of its own, a bounded number of them kept for reuse. HTTP/1.1 only: HTTP/2 would
 * take its {@code :authority} from the IP literal. Redirects are never followed: a redirect
 * could lead anywhere, unchecked.
 */
public final class CallbackSender {

    static {
        // Read once when java.net.http's internals load; nothing in Kulipa uses that client earlier.
        if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int ERROR_MAX_CHARS = 500;
    /** Clients kept for https host names (each holds its pooled connections); the least recently used goes first. */
    private static final int TLS_CLIENTS_MAX = 64;

    private final UrlGuard guard;
    private final CallbackSigner signer;
    private final SSLContext tls;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient plain;
    private final Map<String, HttpClient> tlsClients = new LinkedHashMap<>(16, 0.75f, true);

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
        this.tls = tls;
        this.plain = client(null);
        try {
            HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("Host", "example.com");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("java.net.http was loaded before CallbackSender without "
                    + "-Djdk.httpclient.allowRestrictedHeaders=host; callbacks could not be pinned to a checked address");
        }
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
            byte[] body = jsonBody.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            HttpRequest.Builder request = HttpRequest.newBuilder(target(checked)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            if (callback != null) {
                // Signed over the URL as configured: the merchant sees its own host, not the checked address.
                signer.headers(callback, checked.uri(), method, body).forEach(request::header);
            }
            if (!checked.allowListed()) {
                request.header("Host", hostHeader(checked.uri()));
            }
            status = clientFor(checked).send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            // Kept with the attempt for the merchant's resend tools, not logged.
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (error != null && error.length() > ERROR_MAX_CHARS) {
            error = error.substring(0, ERROR_MAX_CHARS);
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
            HttpRequest.Builder request = HttpRequest.newBuilder(target(checked)).timeout(timeout)
                    .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (!checked.allowListed()) {
                request.header("Host", hostHeader(checked.uri()));
            }
            HttpResponse<java.io.InputStream> response = clientFor(checked).send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.Reader reader = new java.io.InputStreamReader(response.body(),
                    java.nio.charset.StandardCharsets.UTF_8)) {
                char[] buffer = new char[bodyMaxChars + 1];
                int read = 0;
                for (int n; read < buffer.length && (n = reader.read(buffer, read, buffer.length - read)) != -1; ) {
                    read += n;
                }
                boolean tooLong = read > bodyMaxChars;
                return new Exchange(response.statusCode(), new String(buffer, 0, Math.min(read, bodyMaxChars)),
                        tooLong, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(null, null, false, "interrupted");
        } catch (Exception e) {
            String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Exchange(null, null, false,
                    error.length() > ERROR_MAX_CHARS ? error.substring(0, ERROR_MAX_CHARS) : error);
        }
    }

    /** The URL with its host replaced by the checked address; path and query stay as written. */
    static URI target(UrlGuard.Destination.Checked checked) {
        URI uri = checked.uri();
        if (checked.allowListed()) {
            return uri;
        }
        InetAddress a = checked.address();
        String literal = a instanceof Inet6Address ? "[" + stripScope(a.getHostAddress()) + "]" : a.getHostAddress();
        StringBuilder s = new StringBuilder(uri.getScheme()).append("://").append(literal);
        if (uri.getPort() != -1) {
            s.append(':').append(uri.getPort());
        }
        s.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            s.append('?').append(uri.getRawQuery());
        }
        return URI.create(s.toString());
    }

    private static String stripScope(String v6) {
        int percent = v6.indexOf('%');
        return percent < 0 ? v6 : v6.substring(0, percent);
    }

    static String hostHeader(URI uri) {
        return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** Plain http and IP-literal hosts share one client; an https host name gets its own, for its SNI. */
    private HttpClient clientFor(UrlGuard.Destination.Checked checked) {
        URI uri = checked.uri();
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (checked.allowListed() || !uri.getScheme().equalsIgnoreCase("https") || host.startsWith("[")
                || host.equals(checked.address().getHostAddress())) {
            return plain;
        }
        synchronized (tlsClients) {
            HttpClient client = tlsClients.get(host);
            if (client == null) {
                client = client(host);
                tlsClients.put(host, client);
                if (tlsClients.size() > TLS_CLIENTS_MAX) {
                    var eldest = tlsClients.entrySet().iterator().next();
                    // Requests still running on it finish; it only stops taking new ones.
                    eldest.getValue().shutdown();
                    tlsClients.remove(eldest.getKey());
                }
            }
            return client;
        }
    }

    private HttpClient client(String sniHost) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).sslContext(tls);
        if (sniHost != null) {
            SSLParameters parameters = tls.getDefaultSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sniHost)));
            b.sslParameters(parameters);
        }
        return b.build();
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }
}
