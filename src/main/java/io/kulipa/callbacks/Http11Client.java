package io.kulipa.callbacks;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small blocking HTTP/1.1 client for the callbacks, with a keep-alive pool (issue 14: the JDK's
 * asynchronous client took 18 % of the gateway's CPU under load). Callbacks run on virtual
 * threads, so one request is one write of its head and body on a plain (or TLS) socket, then a
 * read of the answer on the same thread.
 *
 * <p>A request goes to {@link Target#address()} when there is one, never resolving the name
 * again; {@link Target#host()} is the TLS server name (SNI) and the name the certificate is
 * verified against. Every read is bounded by the request's deadline, so a server trickling bytes
 * cannot hold a request past its timeout; so is the write of a request too large for the socket
 * buffers, which a watchdog cuts off at the deadline (a server that never reads). Answers are
 * framed by Content-Length, chunked transfer coding or the end of the connection; interim 1xx
 * answers are skipped; redirects are just statuses.
 *
 * <p>Idle connections are kept per {@link Target} (a few per target, a bound over all) and closed
 * once unused for the idle time (or the shorter {@code Keep-Alive: timeout} a server announces).
 * A request on a reused connection that fails before any byte of its answer came (the server
 * closed the idle connection) is sent once more on a new one; no other failure is retried, since
 * a retry could deliver a callback twice.
 */
final class Http11Client {

    /**
     * Where requests go, and the key of the pooled connections.
     *
     * @param address    the checked address to connect to; null to resolve {@code host} (allow-listed hosts)
     * @param host       the URL's host without brackets or trailing dot: SNI and certificate name for https
     * @param hostHeader the {@code Host} header, as the URL names it
     */
    record Target(boolean tls, InetAddress address, String host, int port, String hostHeader) {
    }

    /**
     * An answer.
     *
     * @param body     the body's bytes when kept, at most the request's body limit
     * @param complete false when the body went on past the limit (then only its start was read)
     */
    record Response(int status, byte[] body, boolean complete) {
    }

    private static final int LINE_MAX = 8 * 1024;
    private static final int HEAD_MAX = 64 * 1024;
    private static final int BUFFER = 8 * 1024;
    private static final byte[] NO_BODY = new byte[0];
    private static final String USER_AGENT = "Kulipa-Callbacks";

    private final SSLSocketFactory tls;
    private final int idlePerTarget;
    private final int idleTotal;
    private final long idleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Target, ArrayDeque<Connection>> idle = new HashMap<>();
    private int idleCount;

    /**
     * @param idlePerTarget idle connections kept for one target at most
     * @param idleTotal     idle connections kept over all targets at most
     * @param idleTime      an idle connection unused this long is closed
     */
    Http11Client(SSLContext tls, int idlePerTarget, int idleTotal, Duration idleTime) {
        this.tls = tls.getSocketFactory();
        this.idlePerTarget = idlePerTarget;
        this.idleTotal = idleTotal;
        this.idleNanos = idleTime.toNanos();
        WeakReference<Http11Client> self = new WeakReference<>(this);
        long every = Math.clamp(idleTime.toMillis() / 2, 100, 5_000);
        Thread.ofVirtual().name("kulipa-callback-connections").start(() -> closeIdle(self, every));
    }

    /**
     * Sends one request and reads its answer.
     *
     * @param pathAndQuery the request target as written in the URL, starting with {@code /}
     * @param headers      besides Host, Content-Type, Content-Length and User-Agent
     * @param bodyLimit    body bytes read at most; a longer body leaves {@code complete} false
     * @param keepBody     false to read and drop the body (then one with a longer Content-Length is not read)
     */
    Response send(Target target, String method, String pathAndQuery, String contentType, Map<String, String> headers,
                  byte[] body, Duration connectTimeout, Duration timeout, int bodyLimit, boolean keepBody)
            throws IOException {
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        byte[] request = request(target, method, pathAndQuery, contentType, headers, body);
        Connection reused = take(target);
        if (reused != null) {
            try {
                return exchange(reused, request, deadline, bodyLimit, keepBody);
            } catch (Stale e) {
                // The server closed it while idle: once more on a new connection, below.
            }
        }
        Connection fresh = connect(target, connectTimeout, deadline);
        try {
            return exchange(fresh, request, deadline, bodyLimit, keepBody);
        } catch (Stale e) {
            throw e.failure;
        }
    }

    /** Idle connections now kept, for the tests. */
    int idleConnections() {
        lock.lock();
        try {
            return idleCount;
        } finally {
            lock.unlock();
        }
    }

    private static byte[] request(Target target, String method, String pathAndQuery, String contentType,
                                  Map<String, String> headers, byte[] body) {
        if (!isToken(method)) {
            throw new IllegalArgumentException("invalid method");
        }
        if (pathAndQuery.isEmpty() || pathAndQuery.charAt(0) != '/' || !isVisible(pathAndQuery)) {
            throw new IllegalArgumentException("invalid request target");
        }
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(pathAndQuery)
                .append(" HTTP/1.1\r\n");
        header(head, "Host", target.hostHeader());
        header(head, "User-Agent", USER_AGENT);
        header(head, "Content-Type", contentType);
        header(head, "Content-Length", Integer.toString(body.length));
        headers.forEach((name, value) -> header(head, name, value));
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static void header(StringBuilder head, String name, String value) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("invalid header name");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("invalid value of header " + name);
            }
        }
        head.append(name).append(": ").append(value).append("\r\n");
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Thrown by {@link #exchange} for a reused connection that failed before its answer's first byte. */
    private static final class Stale extends Exception {
        final IOException failure;

        Stale(IOException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    private Response exchange(Connection c, byte[] request, long deadline, int bodyLimit, boolean keepBody)
            throws IOException, Stale {
        boolean reused = c.uses > 0;
        c.uses++;
        c.answerBytes = 0;
        try {
            write(c, request, deadline);
            Response response = c.readAnswer(deadline, bodyLimit, keepBody);
            if (c.reusable) {
                give(c);
            } else {
                c.close();
            }
            return response;
        } catch (IOException e) {
            c.close();
            if (reused && c.answerBytes == 0 && !(e instanceof HttpTimeoutException)) {
                throw new Stale(e);
            }
            throw e;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * A request no larger than this is written without a watchdog: on a new or idle connection
     * (the answer before it read to its end) it fits in the two sides' socket buffers, so its
     * write returns whether or not the server reads. A larger one could block for as long as the
     * server does not read, and a socket's timeout bounds only reads.
     */
    static final int WRITE_WITHOUT_WATCHDOG = 16 * 1024;

    /** Made on the first large request only: most gateways never send one. */
    private static final class Watchdog {
        static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("kulipa-callback-write-watchdog").factory());
    }

    /** Writes the request; one over {@link #WRITE_WITHOUT_WATCHDOG} is cut off at the deadline (the connection closed). */
    private static void write(Connection c, byte[] request, long deadline) throws IOException {
        AtomicBoolean fired = request.length > WRITE_WITHOUT_WATCHDOG ? new AtomicBoolean() : null;
        ScheduledFuture<?> watchdog = fired == null ? null : Watchdog.TIMER.schedule(() -> {
            fired.set(true);
            c.close();
        }, remainingMillis(deadline), TimeUnit.MILLISECONDS);
        try {
            c.out.write(request);
            c.out.flush();
        } catch (IOException e) {
            if (fired == null || !fired.get()) {
                throw e;
            }
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        if (fired != null && fired.get()) {
            throw timedOut();
        }
    }

    private Connection connect(Target target, Duration connectTimeout, long deadline) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            InetSocketAddress to = target.address() != null ? new InetSocketAddress(target.address(), target.port())
                    : new InetSocketAddress(target.host(), target.port());
            if (to.isUnresolved()) {
                throw new UnknownHostException(target.host());
            }
            long millis = Math.min(connectTimeout.toMillis(), remainingMillis(deadline));
            try {
                raw.connect(to, (int) Math.clamp(millis, 1, Integer.MAX_VALUE));
            } catch (SocketTimeoutException e) {
                throw new HttpConnectTimeoutException("HTTP connect timed out");
            }
            if (!target.tls()) {
                return new Connection(target, raw);
            }
            SSLSocket ssl = (SSLSocket) tls.createSocket(raw, target.host(), target.port(), true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(target.host())) {
                parameters.setServerNames(List.of(new SNIHostName(target.host())));
            }
            parameters.setApplicationProtocols(new String[]{"http/1.1"});
            ssl.setSSLParameters(parameters);
            ssl.setSoTimeout((int) Math.clamp(remainingMillis(deadline), 1, Integer.MAX_VALUE));
            try {
                ssl.startHandshake();
            } catch (SocketTimeoutException e) {
                throw timedOut();
            }
            return new Connection(target, ssl);
        } catch (IOException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static long remainingMillis(long deadline) throws HttpTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut();
        }
        return (left + 999_999) / 1_000_000;
    }

    private static HttpTimeoutException timedOut() {
        return new HttpTimeoutException("request timed out");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---- the pool ----

    private Connection take(Target target) {
        List<Connection> expired = null;
        Connection found = null;
        long now = System.nanoTime();
        lock.lock();
        try {
            ArrayDeque<Connection> q = idle.get(target);
            while (q != null && !q.isEmpty()) {
                Connection c = q.pollFirst();
                idleCount--;
                if (c.idleUntil - now > 0) {
                    found = c;
                    break;
                }
                (expired == null ? expired = new ArrayList<>() : expired).add(c);
            }
            if (q != null && q.isEmpty()) {
                idle.remove(target);
            }
        } finally {
            lock.unlock();
        }
        if (expired != null) {
            expired.forEach(Connection::close);
        }
        return found;
    }

    private void give(Connection c) {
        long now = System.nanoTime();
        c.idleUntil = now + Math.min(idleNanos, c.keepAliveNanos);
        boolean kept = false;
        lock.lock();
        try {
            if (idleCount < idleTotal) {
                ArrayDeque<Connection> q = idle.get(c.target);
                if (q == null) {
                    q = new ArrayDeque<>();
                    idle.put(c.target, q);
                }
                if (q.size() < idlePerTarget) {
                    q.addFirst(c);
                    idleCount++;
                    kept = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (!kept) {
            c.close();
        }
    }

    private void closeExpired() {
        List<Connection> expired = new ArrayList<>();
        long now = System.nanoTime();
        lock.lock();
        try {
            for (Iterator<ArrayDeque<Connection>> queues = idle.values().iterator(); queues.hasNext(); ) {
                ArrayDeque<Connection> q = queues.next();
                for (Iterator<Connection> i = q.iterator(); i.hasNext(); ) {
                    Connection c = i.next();
                    if (c.idleUntil - now <= 0) {
                        i.remove();
                        idleCount--;
                        expired.add(c);
                    }
                }
                if (q.isEmpty()) {
                    queues.remove();
                }
            }
        } finally {
            lock.unlock();
        }
        expired.forEach(Connection::close);
    }

    /** The idle closer's loop; it holds the client weakly, and ends when the client is gone. */
    private static void closeIdle(WeakReference<Http11Client> self, long everyMillis) {
        while (true) {
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                return;
            }
            Http11Client client = self.get();
            if (client == null) {
                return;
            }
            client.closeExpired();
        }
    }

    // ---- one connection ----

    private static final class Connection {
        final Target target;
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buffer = new byte[BUFFER];
        int pos;
        int lim;
        int uses;
        long answerBytes;
        long deadline;
        long idleUntil;
        /** How long the server said it keeps the connection idle ({@code Keep-Alive: timeout}). */
        long keepAliveNanos = Long.MAX_VALUE;
        boolean reusable;

        Connection(Target target, Socket socket) throws IOException {
            this.target = target;
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void close() {
            closeQuietly(socket);
        }

        /** Reads into the buffer; -1 at the end of the connection. */
        private int fill() throws IOException {
            socket.setSoTimeout((int) Math.clamp(remainingMillis(deadline), 1, Integer.MAX_VALUE));
            int n;
            try {
                n = in.read(buffer, 0, buffer.length);
            } catch (SocketTimeoutException e) {
                throw timedOut();
            }
            if (n > 0) {
                pos = 0;
                lim = n;
                answerBytes += n;
            }
            return n;
        }

        private String line(int[] headBudget) throws IOException {
            StringBuilder s = new StringBuilder(64);
            while (true) {
                if (pos == lim && fill() < 0) {
                    throw new EOFException(answerBytes == 0 ? "connection closed before an answer"
                            : "connection closed within the answer's head");
                }
                while (pos < lim) {
                    byte b = buffer[pos++];
                    if (--headBudget[0] < 0 || s.length() >= LINE_MAX) {
                        throw new ProtocolException("answer head too long");
                    }
                    if (b == '\n') {
                        int end = s.length();
                        if (end > 0 && s.charAt(end - 1) == '\r') {
                            s.setLength(end - 1);
                        }
                        return s.toString();
                    }
                    s.append((char) (b & 0xff));
                }
            }
        }

        Response readAnswer(long deadline, int bodyLimit, boolean keepBody) throws IOException {
            this.deadline = deadline;
            this.reusable = false;
            int[] headBudget = {HEAD_MAX};
            while (true) {
                String statusLine = line(headBudget);
                if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")
                        || statusLine.charAt(8) != ' ' || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
                    throw new ProtocolException("malformed status line");
                }
                boolean http11 = statusLine.charAt(7) == '1';
                int status = 0;
                for (int i = 9; i < 12; i++) {
                    char c = statusLine.charAt(i);
                    if (c < '0' || c > '9') {
                        throw new ProtocolException("malformed status line");
                    }
                    status = status * 10 + (c - '0');
                }
                long contentLength = -1;
                boolean chunked = false;
                boolean transferCoded = false;
                boolean close = !http11;
                while (true) {
                    String h = line(headBudget);
                    if (h.isEmpty()) {
                        break;
                    }
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        throw new ProtocolException("malformed header line");
                    }
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    switch (name) {
                        case "content-length" -> {
                            long n = parseLength(value);
                            if (contentLength != -1 && contentLength != n) {
                                throw new ProtocolException("conflicting Content-Length");
                            }
                            contentLength = n;
                        }
                        case "transfer-encoding" -> {
                            transferCoded = true;
                            String[] codings = value.toLowerCase(Locale.ROOT).split(",");
                            chunked = codings[codings.length - 1].trim().equals("chunked");
                        }
                        case "connection" -> {
                            for (String token : value.toLowerCase(Locale.ROOT).split(",")) {
                                if (token.trim().equals("close")) {
                                    close = true;
                                }
                            }
                        }
                        case "keep-alive" -> keepAlive(value);
                        default -> {
                        }
                    }
                }
                if (status >= 100 && status < 200 && status != 101) {
                    continue;
                }
                if (status == 101) {
                    return new Response(status, NO_BODY, true);
                }
                Body b = new Body(bodyLimit, keepBody);
                boolean framed = true;
                if (status == 204 || status == 304) {
                    // no body
                } else if (transferCoded) {
                    if (chunked) {
                        chunks(b);
                    } else {
                        toEnd(b);
                        framed = false;
                    }
                    // Content-Length beside Transfer-Encoding: framed by the coding, but not trusted again.
                    close |= contentLength != -1;
                } else if (contentLength > bodyLimit) {
                    // Only the start is read (or none of it when dropped), and the connection closed.
                    if (keepBody) {
                        exactly(b, bodyLimit);
                    }
                    return new Response(status, b.bytes(), false);
                } else if (contentLength >= 0) {
                    exactly(b, contentLength);
                } else {
                    toEnd(b);
                    framed = false;
                }
                reusable = framed && !b.over && !close && pos == lim;
                return new Response(status, b.bytes(), !b.over);
            }
        }

        private void keepAlive(String value) {
            for (String parameter : value.split(",")) {
                String p = parameter.trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("timeout=")) {
                    try {
                        long seconds = Long.parseLong(p.substring("timeout=".length()).trim());
                        // A second less than announced, so that the server does not close it as it is reused.
                        keepAliveNanos = Math.max(0, Math.min(seconds - 1, 3_600)) * 1_000_000_000L;
                    } catch (NumberFormatException ignored) {
                        // as if not announced
                    }
                }
            }
        }

        private static long parseLength(String value) throws ProtocolException {
            if (value.isEmpty() || value.length() > 18) {
                throw new ProtocolException("malformed Content-Length");
            }
            long n = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') {
                    throw new ProtocolException("malformed Content-Length");
                }
                n = n * 10 + (c - '0');
            }
            return n;
        }

        /** Reads {@code length} body bytes, or stops at the body's limit. */
        private void exactly(Body b, long length) throws IOException {
            long left = length;
            while (left > 0 && !b.over) {
                if (pos == lim && fill() < 0) {
                    throw new EOFException("connection closed within the answer's body");
                }
                int n = (int) Math.min(left, lim - pos);
                n = b.take(buffer, pos, n);
                pos += n;
                left -= n;
            }
        }

        private void toEnd(Body b) throws IOException {
            while (!b.over) {
                if (pos == lim && fill() < 0) {
                    return;
                }
                pos += b.take(buffer, pos, lim - pos);
            }
        }

        private void chunks(Body b) throws IOException {
            while (true) {
                String sizeLine = line(new int[]{1024});
                int semicolon = sizeLine.indexOf(';');
                String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
                if (hex.isEmpty() || hex.length() > 15) {
                    throw new ProtocolException("malformed chunk size");
                }
                long size;
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("malformed chunk size");
                }
                if (size < 0) {
                    throw new ProtocolException("malformed chunk size");
                }
                if (size == 0) {
                    break;
                }
                exactly(b, size);
                if (b.over) {
                    return;
                }
                if (!line(new int[]{2}).isEmpty()) {
                    throw new ProtocolException("malformed chunk end");
                }
            }
            int[] trailerBudget = {HEAD_MAX};
            while (!line(trailerBudget).isEmpty()) {
                // trailer fields: ignored
            }
        }
    }

    /** A body being read: kept or dropped, up to a limit. */
    private static final class Body {
        private final int limit;
        private final ByteArrayOutputStream kept;
        private int taken;
        boolean over;

        Body(int limit, boolean keep) {
            this.limit = limit;
            this.kept = keep ? new ByteArrayOutputStream(Math.min(limit, 1024)) : null;
        }

        /** Takes up to {@code n} bytes; how many it took (fewer once the limit is passed, then {@code over}). */
        int take(byte[] b, int off, int n) {
            if (n == 0) {
                return 0;
            }
            int room = limit - taken;
            if (n > room) {
                over = true;
                n = room;
            }
            if (kept != null) {
                kept.write(b, off, n);
            }
            taken += n;
            return n;
        }

        byte[] bytes() {
            return kept == null ? NO_BODY : kept.toByteArray();
        }
    }
}
