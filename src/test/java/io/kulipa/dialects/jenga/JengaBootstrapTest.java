package io.kulipa.dialects.jenga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's demo credentials for Jenga: made once and kept across a restart (key pair
 * included), so that a merchant's configuration and the README's example keep working.
 */
class JengaBootstrapTest {

    @Test
    void generatedCredentialsAndTheKeyPairAreKeptAcrossARestart() throws Exception {
        String db = TestDatabase.newDatabase();
        Map<String, String> env = new HashMap<>();
        JengaDialect.Demo first;
        String privateKey;
        Path dataDir;
        try (TestGateway gateway = TestGateway.start(db, env)) {
            first = gateway.kulipa().dialect(JengaDialect.class).demo();
            dataDir = gateway.kulipa().dataDir();
            privateKey = Files.readString(first.privateKeyFile());
            assertThat(first.apiKey()).isNotBlank();
            assertThat(first.accountNumber()).isEqualTo(JengaDialect.DEMO_ACCOUNT_NUMBER);
        }
        env.put("KULIPA_DATA_DIR", dataDir.toString());
        try (TestGateway again = TestGateway.start(db, env)) {
            JengaDialect.Demo second = again.kulipa().dialect(JengaDialect.class).demo();
            assertThat(second.apiKey()).isEqualTo(first.apiKey());
            assertThat(second.merchantCode()).isEqualTo(first.merchantCode());
            assertThat(second.consumerSecret()).isEqualTo(first.consumerSecret());
            assertThat(Files.readString(second.privateKeyFile())).isEqualTo(privateKey);
            JengaClient client = new JengaClient(again);
            client.authenticate(second.apiKey(), second.merchantCode(), second.consumerSecret()).then().statusCode(200);
            // The kept private key still signs for the registered public key.
            String token = client.authenticate(second.apiKey(), second.merchantCode(), second.consumerSecret())
                    .path("accessToken");
            var body = JengaClient.body(JengaClient.ref(), "254764123000", "5.00", "http://127.0.0.1:9/cb");
            io.restassured.RestAssured.given().baseUri(again.baseUrl()).contentType("application/json")
                    .header("Authorization", "Bearer " + token)
                    .header("Signature", JengaClient.sign(JengaClient.demoKey(again), JengaClient.signedText(body)))
                    .body(body).post(JengaRoutes.PUSH).then().statusCode(200).body("code", equalTo(-1));
        }
    }
}
