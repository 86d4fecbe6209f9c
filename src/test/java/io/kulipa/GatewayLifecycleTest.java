package io.kulipa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings, bootstrap, health, metrics, the callback inbox and the production-mode guard. */
class GatewayLifecycleTest {

    @Test
    void flagsOverrideTheEnvironmentAndBadValuesNameTheSetting() {
        Settings s = Settings.from(Map.of("KULIPA_PORT", "9000", "KULIPA_MODE", "sandbox"),
                new String[] {"--port=9100", "--sandbox-approval-delay=250ms"});
        assertThat(s.port()).isEqualTo(9100);
        assertThat(s.approvalDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.sandbox()).isTrue();
        assertThatThrownBy(() -> Settings.from(Map.of("KULIPA_MODE", "staging"), new String[0]))
                .hasMessageContaining("KULIPA_MODE");
        assertThatThrownBy(() -> Settings.from(Map.of("KULIPA_PORT", "eighty"), new String[0]))
                .hasMessageContaining("KULIPA_PORT");
        assertThatThrownBy(() -> Settings.from(Map.of(), new String[] {"port"})).hasMessageContaining("--port");
        assertThat(Settings.from(Map.of("KULIPA_ADMIN_TOKEN", "secret-admin"), new String[0]).toString())
                .doesNotContain("secret-admin");
    }

    @Test
    void productionModeRefusesTheEmbeddedDatabase() {
        Settings s = Settings.from(Map.of("KULIPA_MODE", "production"), new String[0]);
        assertThatThrownBy(() -> Kulipa.start(s)).hasMessageContaining("KULIPA_DB_URL");
    }

    @Test
    void theDemoMerchantIsWrittenToTheDataDirAndHealthAndMetricsAnswer() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("KULIPA_BOOTSTRAP_CALLBACK_URL",
                "http://127.0.0.1:1/unused"))) {
            gateway.anonymous().get("/health").then().statusCode(200).body("status", equalTo("UP"));
            Path dataDir = gateway.kulipa().dataDir();
            String demo = Files.readString(dataDir.resolve("demo-merchant.json"));
            assertThat(demo).contains(TestGateway.DEMO_TOKEN).contains("http://127.0.0.1:1/unused");
            assertThat(Files.readString(dataDir.resolve("admin-token.json"))).contains(TestGateway.ADMIN_TOKEN);

            gateway.postDeposit(TestGateway.deposit()).then().statusCode(200);
            gateway.anonymous().get("/metrics").then().statusCode(200)
                    .body(containsString("kulipa_http_requests_seconds_count"))
                    .body(containsString("kulipa_payments{state=\"ACCEPTED\"}"));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> gateway.anonymous().get("/metrics").then()
                    .body(containsString("kulipa_webhook_attempts_total")));
        }
    }

    @Test
    void theSandboxInboxShowsTheCallbacksItReceived() {
        try (TestGateway gateway = TestGateway.start()) {
            String inbox = gateway.baseUrl() + "/sandbox/callbacks/demo";
            gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("deposit", inbox))
                    .put("/ops/merchants/" + gateway.kulipa().demoMerchantId() + "/callbacks").then().statusCode(200);
            Map<String, Object> body = TestGateway.deposit();
            gateway.postDeposit(body).then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> gateway.anonymous()
                    .get("/sandbox/callbacks/demo").then().statusCode(200)
                    .body("[0].body.depositId", equalTo(body.get("depositId")))
                    .body("[0].body.status", equalTo("COMPLETED")));
        }
    }

    @Test
    void opsEndpointsNeedTheAdminToken() {
        try (TestGateway gateway = TestGateway.start()) {
            gateway.anonymous().body(Map.of("name", "X")).post("/ops/merchants").then().statusCode(401);
            gateway.merchant().body(Map.of("name", "X")).post("/ops/merchants").then().statusCode(401);
            gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of()).post("/ops/merchants").then().statusCode(400)
                    .body("errorMessage", containsString("name"));
            gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("name", "Shop", "callbackUrls",
                    Map.of("deposit", "ftp://example.com/x"))).post("/ops/merchants").then().statusCode(400)
                    .body("errorMessage", containsString("callbackUrls.deposit"));
        }
    }
}
