package io.kulipa.dialects.scantopay;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.Map;

/**
 * What the refused fail-safe reversal tests (the WIG's and the Remote API's) start from: a
 * receiver whose {@code /refuse} answers every notification 500, and a gateway whose own hook and
 * sweep leave purchases alone for {@code ackWindow} and whose refused reversals are retried after
 * {@code retryFirst}, then doubling.
 */
public final class RefusedReversalWorld {

    private RefusedReversalWorld() {
    }

    /** A started receiver; notifications sent to {@code CallbackReceiver.url(it, "/refuse")} are refused. */
    public static WireMockServer refusingReceiver() {
        WireMockServer receiver = CallbackReceiver.start();
        receiver.stubFor(WireMock.any(WireMock.urlPathEqualTo("/refuse")).willReturn(WireMock.aResponse().withStatus(500)));
        return receiver;
    }

    public static TestGateway gateway(Duration ackWindow, Duration retryFirst) {
        return TestGateway.start(Map.of("KULIPA_SCANTOPAY_ACK_WINDOW", ackWindow.toMillis() + "ms",
                "KULIPA_SCANTOPAY_REVERSAL_RETRY_FIRST", retryFirst.toMillis() + "ms"));
    }
}
