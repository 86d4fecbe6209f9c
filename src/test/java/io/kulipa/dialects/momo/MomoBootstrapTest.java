package io.kulipa.dialects.momo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sandbox demo merchant gets MoMo subscription keys: written with its other credentials,
 * fixed by KULIPA_BOOTSTRAP_MOMO_SUBSCRIPTION_KEY, kept across restarts otherwise, and working
 * end to end on the gateway's own HTTP server.
 */
class MomoBootstrapTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aFixedKeyProvisionsAUserAndBuysTokensOnTheGateway() throws Exception {
        String fixed = "demo-momo-key-" + UUID.randomUUID();
        try (TestGateway gateway = TestGateway.start(Map.of("KULIPA_BOOTSTRAP_MOMO_SUBSCRIPTION_KEY", fixed))) {
            JsonNode file = MAPPER.readTree(gateway.kulipa().dataDir().resolve("demo-merchant.json").toFile());
            for (String product : new String[] {"collection", "disbursement", "remittance"}) {
                assertThat(file.path("momoSubscriptionKeys").path(product).asText()).isEqualTo(fixed);
            }
            assertThat(gateway.kulipa().dialect(MomoDialect.class).demoSubscriptionKey()).isEqualTo(fixed);
            String user = UUID.randomUUID().toString();
            gateway.anonymous().header("Ocp-Apim-Subscription-Key", fixed).header("X-Reference-Id", user)
                    .body(Map.of("providerCallbackHost", "webhook.site")).post("/v1_0/apiuser").then().statusCode(201);
            String apiKey = gateway.anonymous().header("Ocp-Apim-Subscription-Key", fixed)
                    .post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(201).extract().path("apiKey");
            String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + apiKey)
                    .getBytes(StandardCharsets.UTF_8));
            for (String product : new String[] {"collection", "disbursement", "remittance"}) {
                gateway.anonymous().header("Ocp-Apim-Subscription-Key", fixed).header("Authorization", basic)
                        .post("/" + product + "/token/").then().statusCode(200).body("expires_in", equalTo(3600));
            }
        }
    }

    @Test
    void aGeneratedKeyIsKeptAcrossARestart() throws Exception {
        String db = TestDatabase.newDatabase();
        Map<String, String> env = new HashMap<>();
        String first;
        Path dataDir;
        try (TestGateway gateway = TestGateway.start(db, env)) {
            first = gateway.kulipa().dialect(MomoDialect.class).demoSubscriptionKey();
            dataDir = gateway.kulipa().dataDir();
            assertThat(first).matches("[0-9a-f]{32}");
        }
        env.put("KULIPA_DATA_DIR", dataDir.toString());
        try (TestGateway again = TestGateway.start(db, env)) {
            assertThat(again.kulipa().dialect(MomoDialect.class).demoSubscriptionKey()).isEqualTo(first);
        }
    }
}
