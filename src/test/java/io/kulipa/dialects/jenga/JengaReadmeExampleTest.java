package io.kulipa.dialects.jenga;

import io.kulipa.testing.GatewayExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's Jenga example as a new user runs it: bash, curl and openssl sign the spec's
 * example with the demo private key and push it; the push completes and its callback lands in
 * the sandbox inbox. Only the base URL and the data directory are replaced.
 */
class JengaReadmeExampleTest {

    // No fixed Jenga credentials: the example reads the ones the bootstrap made.
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    @Test
    void theReadmeExampleSignsWithOpensslAndItsCallbackReachesTheInbox() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```sh", readme.indexOf("<!-- jenga-example -->")) + "```sh".length();
        String script = readme.substring(start, readme.indexOf("```", start))
                .replace("http://localhost:8080", gateway.baseUrl())
                .replace("D=data", "D='" + gateway.kulipa().dataDir() + "'");
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true).start();
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(out).isZero();
        assertThat(out).contains("\"status\":true,\"code\":-1", "await final transaction status on callback");
        assertThat(out).contains("\"code\":3");
        await().atMost(Duration.ofSeconds(15)).until(() -> RestAssured.given().baseUri(gateway.baseUrl())
                .get("/sandbox/callbacks/jenga").asString().contains("Successful"));
    }
}
