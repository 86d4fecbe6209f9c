package io.kulipa.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender connects only to the address the guard checked at send time, and follows no redirect. */
class CallbackSenderTest {

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI() + " Host=" + exchange.getRequestHeaders().getFirst("Host"));
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    @Test
    void aHostThatRebindsToLoopbackAfterTheCheckIsRefusedAtSendTime() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        UrlGuard guard = new UrlGuard(false, Set.of(), host -> new InetAddress[]{lookups.getAndIncrement() == 0
                ? InetAddress.getByName("93.184.215.14") : InetAddress.getLoopbackAddress()});
        String url = "http://rebinding.test:" + port() + "/cb";
        assertThat(guard.refusal(url)).as("when the merchant configures it").isEmpty();

        CallbackSender.Answer answer = new CallbackSender(guard).send(url, "POST", "{}");

        assertThat(answer.refused()).isTrue();
        assertThat(answer.error()).contains("Loopback");
        assertThat(seen).isEmpty();
    }

    @Test
    void theRequestGoesToTheCheckedAddressWithTheOriginalHostAndNoSecondLookup() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // The sandbox allows loopback; "merchant.test" resolves only through this seam, so the
        // request can only arrive if the client connected to the checked literal.
        UrlGuard guard = new UrlGuard(true, Set.of(), host -> {
            lookups.incrementAndGet();
            return new InetAddress[]{InetAddress.getLoopbackAddress()};
        });

        CallbackSender.Answer answer = new CallbackSender(guard)
                .send("http://merchant.test:" + port() + "/cb/a%20b?x=1&y=2", "PUT", "{}");

        assertThat(answer.httpStatus()).as(answer.error()).isEqualTo(200);
        assertThat(seen).containsExactly("/cb/a%20b?x=1&y=2 Host=merchant.test:" + port());
        assertThat(lookups).hasValue(1);
    }

    @Test
    void redirectsAreNotFollowed() {
        CallbackSender.Answer answer = new CallbackSender(new UrlGuard(true, Set.of()))
                .send("http://127.0.0.1:" + port() + "/moved", "POST", "{}");

        assertThat(answer.httpStatus()).isEqualTo(302);
        assertThat(seen).containsExactly("/moved Host=127.0.0.1:" + port());
    }

    @Test
    void theTargetKeepsPathQueryAndPortAndBracketsIpv6() throws Exception {
        var checked = new UrlGuard.Destination.Checked(java.net.URI.create("https://m.test:8443/p%2Fq?a=%20"),
                InetAddress.getByName("2606:4700::1111"), false);
        Http11Client.Target target = CallbackSender.http11Target(checked);
        assertThat(target.address()).as("the checked address, not the name").isEqualTo(checked.address());
        assertThat(target.tls()).isTrue();
        assertThat(target.port()).isEqualTo(8443);
        assertThat(target.host()).as("the TLS server name").isEqualTo("m.test");
        assertThat(target.hostHeader()).isEqualTo("m.test:8443");
        assertThat(CallbackSender.requestTarget(checked.uri())).isEqualTo("/p%2Fq?a=%20");
        assertThat(CallbackSender.hostHeader(checked.uri())).isEqualTo("m.test:8443");
    }
}
