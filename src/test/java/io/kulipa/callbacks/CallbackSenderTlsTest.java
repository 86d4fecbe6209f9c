package io.kulipa.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https to a checked IP literal still names the host: the TLS server name (SNI) is the URL's
 * host, and the certificate is verified against it, not against the IP.
 */
class CallbackSenderTlsTest {

    @TempDir
    Path dir;

    private CallbackSender.Answer sendWithCertificateFor(String certificateName, List<String> seen) throws Exception {
        TestCertificates certificates = TestCertificates.selfSigned(dir, certificateName);
        SSLContext serverTls = certificates.server();
        SSLContext clientTls = certificates.clientTrustingIt();

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestURI() + " Host=" + exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            UrlGuard guard = new UrlGuard(true, Set.of(), host -> new InetAddress[]{InetAddress.getLoopbackAddress()});
            return new CallbackSender(guard, clientTls)
                    .send("https://merchant.test:" + server.getAddress().getPort() + "/cb", "POST", "{}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theCertificateOfTheNamedHostIsAccepted() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CallbackSender.Answer answer = sendWithCertificateFor("merchant.test", seen);

        assertThat(answer.httpStatus()).as(answer.error()).isEqualTo(200);
        assertThat(seen).singleElement().asString().startsWith("/cb Host=merchant.test:");
    }

    @Test
    void aCertificateOfAnotherHostIsRefused() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CallbackSender.Answer answer = sendWithCertificateFor("other.test", seen);

        assertThat(answer.httpStatus()).isNull();
        assertThat(answer.error()).contains("SSLHandshakeException");
        assertThat(seen).isEmpty();
    }
}
