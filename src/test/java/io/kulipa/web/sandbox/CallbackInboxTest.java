package io.kulipa.web.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.testing.GatewayExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sandbox's callback inbox keeps whatever a callback sends. Found by OpenApiFuzzTest: a body
 * that is not JSON, sent with a charset the JDK does not know, answered 500, because the inbox
 * decoded it with the Content-Type's charset.
 */
class CallbackInboxTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    @Test
    void aBodyInAnUnknownCharsetIsKeptAsUtf8Text() throws Exception {
        for (String method : new String[] {"POST", "PUT"}) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/sandbox/callbacks/charset-" + method))
                    .timeout(TIMEOUT).header("Content-Type", "application/json; charset=x")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray("not json é".getBytes(StandardCharsets.UTF_8)))
                    .build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method).isEqualTo(200);
            gateway.anonymous().get("/sandbox/callbacks/charset-" + method).then().statusCode(200)
                    .body("[0].body", Matchers.equalTo("not json é"));
        }
    }
}
