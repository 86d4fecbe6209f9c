package io.kulipa.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callbacks' own HTTP/1.1 client against servers of plain sockets that answer exactly the
 * bytes a test writes: keep-alive and its limits, the three ways a body is framed, timeouts.
 */
class Http11ClientTest {

    /** One request as the server read it, with the number of the connection it came on. */
    record Seen(int connection, String method, String target, Map<String, String> headers, String body) {
    }

    /** What the server does with a request: the bytes it answers, and whether it then closes the connection. */
    record Reply(String bytes, boolean close) {
        static Reply keep(String bytes) {
            return new Reply(bytes, false);
        }

        static Reply thenClose(String bytes) {
            return new Reply(bytes, true);
        }
    }

    /** A server of plain sockets that reads HTTP/1.1 requests (with Content-Length bodies) and writes what it is told. */
    static final class RawServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        /** Connections whose client closed them (the server read the end). */
        final List<Integer> closedByClient = new CopyOnWriteArrayList<>();
        final List<Socket> open = new CopyOnWriteArrayList<>();
        private final Function<Seen, Reply> replies;

        RawServer(Function<Seen, Reply> replies) throws IOException {
            this.replies = replies;
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        open.add(s);
                        int n = accepted.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, n));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Socket s, int connection) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    String requestLine = line(in);
                    if (requestLine == null) {
                        closedByClient.add(connection);
                        return;
                    }
                    Map<String, String> headers = new java.util.LinkedHashMap<>();
                    for (String h; !(h = line(in)).isEmpty(); ) {
                        int colon = h.indexOf(':');
                        headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                    }
                    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                    String[] parts = requestLine.split(" ");
                    Seen request = new Seen(connection, parts[0], parts[1], headers,
                            new String(body, StandardCharsets.UTF_8));
                    seen.add(request);
                    Reply reply = replies.apply(request);
                    if (reply == null) {
                        // Never answers; holds the connection until the test ends.
                        Thread.sleep(60_000);
                        return;
                    }
                    out.write(reply.bytes().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (reply.close()) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the test is over, or the client went away
            }
        }

        /** A line without its CRLF; null at the end of the connection before any byte. */
        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private RawServer server(Function<Seen, Reply> replies) throws IOException {
        RawServer s = new RawServer(replies);
        toClose.add(s);
        return s;
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static final CallbackSender SENDER = new CallbackSender(new UrlGuard(true, Set.of()));

    private static String url(RawServer s, String path) {
        return "http://127.0.0.1:" + s.port() + path;
    }

    private static CallbackSender.Exchange exchange(RawServer s, String path, Duration timeout, int maxChars) {
        return SENDER.exchange(url(s, path), "text/plain", "a=1".getBytes(StandardCharsets.UTF_8), timeout, maxChars);
    }

    @Test
    void twoSequentialSendsShareOneConnection() throws Exception {
        RawServer s = server(r -> Reply.keep(ok("fine")));
        CallbackSender sender = new CallbackSender(new UrlGuard(true, Set.of()));

        CallbackSender.Answer first = sender.send(url(s, "/a"), "POST", "{\"n\":1}");
        CallbackSender.Answer second = sender.send(url(s, "/b"), "PUT", "{\"n\":2}");

        assertThat(first.httpStatus()).as(first.error()).isEqualTo(200);
        assertThat(second.httpStatus()).as(second.error()).isEqualTo(200);
        assertThat(s.accepted).hasValue(1);
        assertThat(s.seen).extracting(Seen::connection, Seen::method, Seen::target, Seen::body)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "POST", "/a", "{\"n\":1}"),
                        org.assertj.core.groups.Tuple.tuple(1, "PUT", "/b", "{\"n\":2}"));
        assertThat(s.seen.getFirst().headers()).containsEntry("content-type", "application/json")
                .containsEntry("content-length", "7").containsEntry("host", "127.0.0.1:" + s.port());
    }

    @Test
    void aKeptConnectionTheServerClosedWhileIdleIsReplacedOnce() throws Exception {
        // Answers as if it kept the connection, then closes it: the client learns only when it reuses it.
        RawServer s = server(r -> Reply.thenClose(ok("")));
        CallbackSender sender = new CallbackSender(new UrlGuard(true, Set.of()));

        assertThat(sender.send(url(s, "/1"), "POST", "{}").httpStatus()).isEqualTo(200);
        Thread.sleep(200);
        CallbackSender.Answer second = sender.send(url(s, "/2"), "POST", "{}");

        assertThat(second.httpStatus()).as(second.error()).isEqualTo(200);
        assertThat(s.accepted).hasValue(2);
        assertThat(s.seen).extracting(Seen::connection, Seen::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "/1"), org.assertj.core.groups.Tuple.tuple(2, "/2"));
    }

    @Test
    void aNewConnectionClosedWithoutAnAnswerIsNotRetried() throws Exception {
        RawServer s = server(r -> Reply.thenClose(""));

        CallbackSender.Answer answer = SENDER.send(url(s, "/x"), "POST", "{}");

        assertThat(answer.httpStatus()).isNull();
        assertThat(answer.error()).startsWith("EOFException: connection closed before an answer");
        assertThat(answer.refused()).isFalse();
        assertThat(s.seen).hasSize(1);
    }

    @Test
    void aReusedConnectionThatFailsAfterTheAnswerBeganIsNotRetried() throws Exception {
        AtomicInteger n = new AtomicInteger();
        // The second answer breaks off within its head: the request arrived, so it is not sent again.
        RawServer s = server(r -> n.incrementAndGet() == 1 ? Reply.keep(ok("")) : Reply.thenClose("HTTP/1.1 200 O"));
        CallbackSender sender = new CallbackSender(new UrlGuard(true, Set.of()));

        assertThat(sender.send(url(s, "/1"), "POST", "{}").httpStatus()).isEqualTo(200);
        CallbackSender.Answer second = sender.send(url(s, "/2"), "POST", "{}");

        assertThat(second.httpStatus()).isNull();
        assertThat(second.error()).startsWith("EOFException");
        assertThat(s.seen).hasSize(2);
        assertThat(s.accepted).hasValue(1);
    }

    @Test
    void aChunkedAnswerIsReadAndTheConnectionKept() throws Exception {
        RawServer s = server(r -> Reply.keep("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"));

        CallbackSender.Exchange first = exchange(s, "/c", Duration.ofSeconds(5), 100);
        CallbackSender.Exchange second = exchange(s, "/c", Duration.ofSeconds(5), 100);

        assertThat(first).isEqualTo(new CallbackSender.Exchange(200, "hello world", false, null));
        assertThat(second).isEqualTo(first);
        assertThat(s.accepted).hasValue(1);

        // Many small chunks: more size lines than an answer's head may hold.
        RawServer tiny = server(r -> Reply.keep("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1;some-extension-of-a-chunk=with-a-long-value\r\nb\r\n".repeat(20_000) + "0\r\n\r\n"));
        assertThat(exchange(tiny, "/t", Duration.ofSeconds(5), 20_000))
                .isEqualTo(new CallbackSender.Exchange(200, "b".repeat(20_000), false, null));
    }

    @Test
    void aContentLengthAnswerIsReadAndTheConnectionKept() throws Exception {
        RawServer s = server(r -> Reply.keep("HTTP/1.1 201 Created\r\nContent-Length: 10\r\nX-Other: y\r\n\r\nCON Menu\n1"));

        CallbackSender.Exchange first = exchange(s, "/l", Duration.ofSeconds(5), 100);
        CallbackSender.Exchange second = exchange(s, "/l", Duration.ofSeconds(5), 100);

        assertThat(first).isEqualTo(new CallbackSender.Exchange(201, "CON Menu\n1", false, null));
        assertThat(second).isEqualTo(first);
        assertThat(s.accepted).hasValue(1);
        assertThat(s.seen.getFirst().headers()).containsEntry("content-type", "text/plain");
        assertThat(s.seen.getFirst().body()).isEqualTo("a=1");
    }

    @Test
    void anAnswerWithoutALengthIsReadToTheEndAndTheConnectionNotKept() throws Exception {
        RawServer s = server(r -> Reply.thenClose("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nEND up to the close"));

        CallbackSender.Exchange first = exchange(s, "/e", Duration.ofSeconds(5), 100);
        CallbackSender.Exchange second = exchange(s, "/e", Duration.ofSeconds(5), 100);

        assertThat(first).isEqualTo(new CallbackSender.Exchange(200, "END up to the close", false, null));
        assertThat(second).isEqualTo(first);
        assertThat(s.accepted).hasValue(2);
    }

    @Test
    void connectionCloseAndHttp10AnswersAreNotReused() throws Exception {
        // The server keeps the connections open: only the client's choice can make a second one.
        RawServer close = server(r -> Reply.keep("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
        RawServer old = server(r -> Reply.keep("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        RawServer keepAliveShort = server(r -> Reply.keep(
                "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 0\r\n\r\n"));
        CallbackSender sender = new CallbackSender(new UrlGuard(true, Set.of()));

        for (RawServer s : List.of(close, old, keepAliveShort)) {
            assertThat(sender.send(url(s, "/1"), "POST", "{}").httpStatus()).isEqualTo(200);
            assertThat(sender.send(url(s, "/2"), "POST", "{}").httpStatus()).isEqualTo(200);
            assertThat(s.accepted).hasValue(2);
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        RawServer s = server(r -> null);

        long started = System.nanoTime();
        CallbackSender.Exchange e = exchange(s, "/never", Duration.ofMillis(300), 100);
        long took = (System.nanoTime() - started) / 1_000_000;

        assertThat(e.httpStatus()).isNull();
        assertThat(e.error()).isEqualTo("HttpTimeoutException: request timed out");
        assertThat(took).isBetween(250L, 3_000L);
        // What the USSD gateway tells its sessions.
        assertThat(new io.kulipa.ussd.HttpApplicationClient(SENDER).post(url(s, "/never"), Map.of("a", "1"),
                Duration.ofMillis(200), 100)).isEqualTo(
                new io.kulipa.ussd.ApplicationClient.Reply.NoAnswer("no answer within 200 ms"));
    }

    @Test
    // Without the write's watchdog the write blocks for good: fail instead of hanging the build.
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aServerThatNeverReadsALargeRequestIsCutOffAtTheTimeout() throws Exception {
        try (ServerSocket listening = new ServerSocket()) {
            listening.setReceiveBufferSize(4096);
            listening.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            java.util.concurrent.CompletableFuture<Socket> accepted = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    accepted.complete(listening.accept()); // and never read from it
                } catch (IOException e) {
                    accepted.completeExceptionally(e);
                }
            });
            byte[] large = new byte[32 * 1024 * 1024];
            assertThat(large.length).isGreaterThan(Http11Client.WRITE_WITHOUT_WATCHDOG);
            long started = System.nanoTime();
            CallbackSender.Exchange e = SENDER.exchange("http://127.0.0.1:" + listening.getLocalPort() + "/big",
                    "application/octet-stream", large, Duration.ofMillis(500), 100);
            long took = (System.nanoTime() - started) / 1_000_000;

            assertThat(e.httpStatus()).isNull();
            assertThat(e.error()).isEqualTo("HttpTimeoutException: request timed out");
            assertThat(took).isBetween(450L, 3_000L);
            accepted.get(5, java.util.concurrent.TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aServerTricklingItsAnswerIsCutOffAtTheTimeout() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = listening.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 200; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up
                }
            });
            long started = System.nanoTime();
            CallbackSender.Exchange e = SENDER.exchange("http://127.0.0.1:" + listening.getLocalPort() + "/t",
                    "text/plain", new byte[0], Duration.ofMillis(500), 200_000);
            long took = (System.nanoTime() - started) / 1_000_000;

            assertThat(e.error()).isEqualTo("HttpTimeoutException: request timed out");
            assertThat(took).isBetween(450L, 2_500L);
        }
    }

    @Test
    void aRedirectIsJustItsStatus() throws Exception {
        RawServer s = server(r -> Reply.keep("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:" + 1
                + "/elsewhere\r\nContent-Length: 0\r\n\r\n"));

        CallbackSender.Answer answer = SENDER.send(url(s, "/moved"), "POST", "{}");

        assertThat(answer.httpStatus()).isEqualTo(302);
        assertThat(s.seen).extracting(Seen::target).containsExactly("/moved");
    }

    @Test
    void interimAnswersAreSkipped() throws Exception {
        RawServer s = server(r -> Reply.keep("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + ok("done")));

        assertThat(exchange(s, "/i", Duration.ofSeconds(5), 100))
                .isEqualTo(new CallbackSender.Exchange(200, "done", false, null));
    }

    @Test
    void theHostHeaderNamesTheOriginalHostWhileTheSocketGoesToTheCheckedAddress() throws Exception {
        RawServer s = server(r -> Reply.keep(ok("")));
        AtomicInteger lookups = new AtomicInteger();
        // "merchant.test" exists only in this resolver: the request arrives only if the checked literal was used.
        UrlGuard guard = new UrlGuard(true, Set.of(), host -> {
            lookups.incrementAndGet();
            return new InetAddress[]{InetAddress.getByName("127.0.0.1")};
        });
        CallbackSender sender = new CallbackSender(guard);

        CallbackSender.Answer a = sender.send("http://Merchant.test:" + s.port() + "/cb?x=%20", "POST", "{}");
        CallbackSender.Answer b = sender.send("http://other.test:" + s.port() + "/cb", "POST", "{}");

        assertThat(a.httpStatus()).as(a.error()).isEqualTo(200);
        assertThat(b.httpStatus()).as(b.error()).isEqualTo(200);
        assertThat(s.seen).extracting(r -> r.target() + " " + r.headers().get("host"))
                .containsExactly("/cb?x=%20 Merchant.test:" + s.port(), "/cb other.test:" + s.port());
        // Another name on the same address is another connection: a connection is kept for its names.
        assertThat(s.accepted).hasValue(2);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aCallbacksLongAnswerIsNotReadAndItsConnectionNotKept() throws Exception {
        String big = "y".repeat(100_000);
        RawServer s = server(r -> r.target().equals("/big") ? Reply.keep(ok(big))
                : Reply.keep("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n"));
        CallbackSender sender = new CallbackSender(new UrlGuard(true, Set.of()));

        assertThat(sender.send(url(s, "/big"), "POST", "{}").httpStatus()).isEqualTo(200);
        assertThat(sender.send(url(s, "/big"), "POST", "{}").httpStatus()).isEqualTo(200);
        assertThat(s.accepted).hasValue(2);
        assertThat(sender.send(url(s, "/chunked"), "POST", "{}").httpStatus()).isEqualTo(200);
        assertThat(sender.send(url(s, "/chunked"), "POST", "{}").httpStatus()).isEqualTo(200);
        assertThat(s.accepted).hasValue(4);
        // A small body is read to its end, and the connection kept.
        RawServer small = server(r -> Reply.keep(ok("z".repeat(60_000))));
        assertThat(sender.send(url(small, "/"), "POST", "{}").httpStatus()).isEqualTo(200);
        assertThat(sender.send(url(small, "/"), "POST", "{}").httpStatus()).isEqualTo(200);
        assertThat(small.accepted).hasValue(1);
    }

    @Test
    void anExchangeReadsAtMostItsCharacters() throws Exception {
        RawServer s = server(r -> switch (r.target()) {
            case "/exact" -> Reply.keep(ok("é".repeat(10)));
            case "/over" -> Reply.keep(ok("é".repeat(11)));
            case "/long" -> Reply.keep(ok("€".repeat(5_000)));
            default -> Reply.keep("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1f4\r\n" + "a".repeat(500) + "\r\n0\r\n\r\n");
        });

        assertThat(exchange(s, "/exact", Duration.ofSeconds(5), 10))
                .isEqualTo(new CallbackSender.Exchange(200, "é".repeat(10), false, null));
        assertThat(exchange(s, "/over", Duration.ofSeconds(5), 10))
                .isEqualTo(new CallbackSender.Exchange(200, "é".repeat(10), true, null));
        assertThat(exchange(s, "/long", Duration.ofSeconds(5), 10))
                .isEqualTo(new CallbackSender.Exchange(200, "€".repeat(10), true, null));
        assertThat(exchange(s, "/chunked", Duration.ofSeconds(5), 10))
                .isEqualTo(new CallbackSender.Exchange(200, "a".repeat(10), true, null));
    }

    @Test
    void malformedAnswersAreErrorsWithoutTheirContent() throws Exception {
        RawServer s = server(r -> Reply.thenClose("SECRET/9 what\r\n\r\n"));

        CallbackSender.Answer answer = SENDER.send(url(s, "/m"), "POST", "{}");

        assertThat(answer.httpStatus()).isNull();
        assertThat(answer.error()).isEqualTo("ProtocolException: malformed status line");
    }

    @Test
    void idleConnectionsAreBoundedAndClosedWhenUnused() throws Exception {
        CountDownLatch all = new CountDownLatch(6);
        RawServer s = server(r -> {
            all.countDown();
            try {
                all.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.keep(ok(""));
        });
        RawServer other = server(r -> Reply.keep(ok("")));
        RawServer third = server(r -> Reply.keep(ok("")));
        Http11Client client = new Http11Client(SSLContext.getDefault(), 2, 3, Duration.ofMillis(400));
        Http11Client.Target target = new Http11Client.Target(false, InetAddress.getLoopbackAddress(), "127.0.0.1",
                s.port(), "127.0.0.1:" + s.port());
        Http11Client.Target otherTarget = new Http11Client.Target(false, InetAddress.getLoopbackAddress(),
                "127.0.0.1", other.port(), "127.0.0.1:" + other.port());

        // Six at once: six connections, two of them kept.
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Http11Client.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> client.send(target, "POST", "/", "text/plain", Map.of(), new byte[0],
                        Duration.ofSeconds(5), Duration.ofSeconds(10), 1024, false)));
            }
            for (Future<Http11Client.Response> f : answers) {
                assertThat(f.get().status()).isEqualTo(200);
            }
        }
        assertThat(s.accepted).hasValue(6);
        assertThat(client.idleConnections()).isEqualTo(2);
        client.send(otherTarget, "POST", "/", "text/plain", Map.of(), new byte[0], Duration.ofSeconds(5),
                Duration.ofSeconds(10), 1024, false);
        assertThat(client.idleConnections()).isEqualTo(3);
        // Past the bound over all targets, a connection is closed after its answer.
        client.send(new Http11Client.Target(false, InetAddress.getLoopbackAddress(), "127.0.0.1", third.port(),
                "127.0.0.1:" + third.port()), "POST", "/", "text/plain", Map.of(), new byte[0], Duration.ofSeconds(5),
                Duration.ofSeconds(10), 1024, false);
        assertThat(client.idleConnections()).isEqualTo(3);

        // Unused past the idle time, they are closed without another request.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((s.closedByClient.size() < 6 || other.closedByClient.isEmpty()) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(s.closedByClient).hasSize(6);
        assertThat(other.closedByClient).hasSize(1);
        assertThat(client.idleConnections()).isZero();
    }

    @Test
    void manyConcurrentSendsAllArriveOnFewConnections() throws Exception {
        RawServer s = server(r -> Reply.keep(ok("k")));
        CallbackSender sender = new CallbackSender(new UrlGuard(true, Set.of()));
        // Twenty senders at once, ten callbacks each, one after the other.
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<CallbackSender.Answer>>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    List<CallbackSender.Answer> mine = new ArrayList<>();
                    for (int j = 0; j < 10; j++) {
                        mine.add(sender.send(url(s, "/" + n + "/" + j), "POST", "{}"));
                    }
                    return mine;
                }));
            }
            for (Future<List<CallbackSender.Answer>> f : answers) {
                assertThat(f.get()).allSatisfy(a -> assertThat(a.httpStatus()).as(a.error()).isEqualTo(200));
            }
        }
        assertThat(s.seen).hasSize(200);
        assertThat(s.seen.stream().map(Seen::target).distinct()).hasSize(200);
        assertThat(s.accepted.get()).isLessThan(60);
    }

    @TempDir
    Path dir;

    @Test
    void httpsConnectionsAreKeptToo() throws Exception {
        TestCertificates certificates = TestCertificates.selfSigned(dir, "merchant.test");
        SSLContext serverTls = certificates.server();
        SSLContext clientTls = certificates.clientTrustingIt();

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        List<String> seen = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            // The client's port tells the connection apart.
            seen.add(exchange.getRemoteAddress().getPort() + " " + exchange.getRequestHeaders().getFirst("Host"));
            byte[] body = "CON hi".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        toClose.add(() -> server.stop(0));
        UrlGuard guard = new UrlGuard(true, Set.of(), host -> new InetAddress[]{InetAddress.getLoopbackAddress()});
        CallbackSender sender = new CallbackSender(guard, clientTls);
        String url = "https://merchant.test:" + server.getAddress().getPort() + "/ussd";

        CallbackSender.Exchange first = sender.exchange(url, "text/plain", new byte[]{'a'}, Duration.ofSeconds(5), 50);
        CallbackSender.Answer second = sender.send(url, "POST", "{}");

        assertThat(first).isEqualTo(new CallbackSender.Exchange(200, "CON hi", false, null));
        assertThat(second.httpStatus()).as(second.error()).isEqualTo(200);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEqualTo(seen.get(1)).endsWith(" merchant.test:" + server.getAddress().getPort());
    }
}
