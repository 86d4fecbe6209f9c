package io.kulipa.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https to a checked IP literal still names the host: the TLS server name (SNI) is the URL's
 * host, and the certificate is verified against it, not against the IP.
 */
class CallbackSenderTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    private KeyStore keyStore(String dnsName) throws Exception {
        Path file = dir.resolve(dnsName + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + dnsName, "-ext", "SAN=dns:" + dnsName, "-validity", "2",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private CallbackSender.Answer sendWithCertificateFor(String certificateName, List<String> seen) throws Exception {
        KeyStore ks = keyStore(certificateName);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ks, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(ks);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

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
