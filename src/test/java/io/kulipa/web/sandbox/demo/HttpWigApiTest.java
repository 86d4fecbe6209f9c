package io.kulipa.web.sandbox.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.kulipa.testing.CallbackReceiver;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * HttpWigApi against a stand-in WIG API: the calls a merchant's application makes (paths, Basic
 * credentials, bodies), the answers read, and every refusal or silence turned into words for the
 * customer's screen — with the credentials in no log line.
 */
class HttpWigApiTest {

    static final String USER = "demo-user";
    static final String PASSWORD = "s3cret-Pa55word-never-logged";
    WireMockServer wig;
    HttpWigApi api;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() {
        wig = CallbackReceiver.start();
        api = new HttpWigApi(URI.create("http://127.0.0.1:" + wig.port() + "/pluto/"), USER, PASSWORD);
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        wig.stop();
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains(PASSWORD) || m.contains(basic));
    }

    @Test
    void theCallsAreTheWigApisWithBasicCredentialsAndTheAnswersAreRead() throws Exception {
        wig.stubFor(get(urlPathEqualTo("/pluto/purchase/network/cards")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"msisdn\":\"27831234567\",\"cards\":["
                        + "{\"cardId\":\"c-1\",\"maskedPan\":\"400000******0002\",\"last4\":\"0002\",\"bank\":\"Kulipa Test Bank\"},"
                        + "{\"cardId\":\"c-2\",\"maskedPan\":\"520000******0007\"}]}")));
        wig.stubFor(post(urlEqualTo("/pluto/purchase/network")).willReturn(aResponse().withStatus(200)
                .withBody("{\"transactionId\":81007,\"amount\":12.5,\"card\":{\"last4\":\"0002\"}}")));
        wig.stubFor(post(urlEqualTo("/pluto/purchase/network/balance")).willReturn(aResponse().withStatus(200)
                .withBody("{\"availableBalance\":1200.00,\"cards\":[{\"last4\":\"0007\",\"bank\":\"Karoo Credit Union\","
                        + "\"balance\":-50.25,\"availableBalance\":949.75}]}")));

        assertThat(api.cards("27831234567")).containsExactly(new WigApi.LinkedCard("c-1", "****0002 Kulipa Test Bank"),
                new WigApi.LinkedCard("c-2", "****0007"));
        String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        wig.verify(getRequestedFor(urlEqualTo("/pluto/purchase/network/cards?msisdn=27831234567"))
                .withHeader("Authorization", equalTo(basic)));

        assertThat(api.buyAirtime("27831234567", "12.50", "c-1", "ussd-ATUid_1").message())
                .isEqualTo("R12.50 airtime for 27831234567 with ****0002 (ref 81007). Enter your card PIN on the prompt "
                        + "that follows.");
        wig.verify(postRequestedFor(urlEqualTo("/pluto/purchase/network")).withHeader("Authorization", equalTo(basic))
                .withRequestBody(equalToJson("{\"msisdn\":\"27831234567\",\"amount\":12.50,\"merchantReference\":"
                        + "\"ussd-ATUid_1\",\"cardId\":\"c-1\",\"cartItems\":[{\"description\":\"R12.50 airtime\","
                        + "\"quantity\":\"1\",\"value\":12.50,\"destination\":\"27831234567\",\"itemType\":\"AIRTIME\"}]}")));

        assertThat(api.balance("27831234567", "c-2").message())
                .isEqualTo("****0007 Karoo Credit Union\nAvailable: R949.75\nBalance: -R50.25");
    }

    @Test
    void refusalsAndSilenceAreWordsForTheScreen() throws Exception {
        wig.stubFor(post(urlEqualTo("/pluto/purchase/network/code")).willReturn(aResponse().withStatus(401)
                .withBody("{\"code\":401,\"name\":\"UNAUTHORIZED\",\"message\":\"Authorization: ...\"}")));
        assertThatThrownBy(() -> api.payCode("27831234567", "0123456789", "c-1"))
                .hasMessage("The demo merchant's Scan to Pay credentials were refused. (401)");

        wig.stubFor(post(urlEqualTo("/pluto/purchase/network/code")).willReturn(aResponse().withStatus(400)
                .withBody("{\"code\":400,\"name\":\"BAD_REQUEST\",\"message\":\"cartItems: the AIRTIME limit of "
                        + "27831234567 is reached for today\"}")));
        assertThatThrownBy(() -> api.payCode("27831234567", "0123456789", "c-1"))
                .hasMessage("The AIRTIME limit of 27831234567 is reached for today. (400)");

        // A 503 in plain text (the gateway's answer while its database is away) is still said by its status.
        wig.stubFor(post(urlEqualTo("/pluto/purchase/network/code")).willReturn(aResponse().withStatus(503)
                .withBody("Service Unavailable")));
        assertThatThrownBy(() -> api.payCode("27831234567", "0123456789", "c-1"))
                .hasMessage("Scan to Pay cannot take payments now. Try again later. (503)");

        wig.stubFor(post(urlEqualTo("/pluto/purchase/network/code")).willReturn(aResponse().withStatus(200)
                .withBody("<html>")));
        assertThatThrownBy(() -> api.payCode("27831234567", "0123456789", "c-1")).hasMessage(HttpWigApi.UNREADABLE);

        wig.stubFor(post(urlEqualTo("/pluto/purchase/network/balance")).willReturn(aResponse().withStatus(200)
                .withFixedDelay((int) HttpWigApi.REQUEST_TIMEOUT.toMillis() + 2_000).withBody("{}")));
        long started = System.nanoTime();
        assertThatThrownBy(() -> api.balance("27831234567", "c-1")).hasMessage(HttpWigApi.NO_ANSWER);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(HttpWigApi.REQUEST_TIMEOUT.toMillis() + 1_500);

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        HttpWigApi nobody = new HttpWigApi(URI.create("http://127.0.0.1:" + closed + "/pluto"), USER, PASSWORD);
        assertThatThrownBy(() -> nobody.cards("27831234567")).hasMessage(HttpWigApi.NO_ANSWER);
    }
}
