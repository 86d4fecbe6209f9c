package io.kulipa.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/** A merchant's callback receiver for tests: WireMock on loopback that answers every request 200. */
public final class CallbackReceiver {

    private CallbackReceiver() {
    }

    public static WireMockServer start() {
        WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
        reset(receiver);
        return receiver;
    }

    /** Forgets what was received and answers 200 again. */
    public static void reset(WireMockServer receiver) {
        receiver.resetAll();
        receiver.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    }

    public static String url(WireMockServer receiver, String path) {
        return "http://127.0.0.1:" + receiver.port() + path;
    }
}
