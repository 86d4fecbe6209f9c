package io.kulipa.dialects.jenga;

import io.kulipa.testing.GatewayExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.payments.Secrets;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jenga's merchant authentication over HTTP: the token answer, refusals in Jenga's error shape,
 * expiry, tokens stored as digests only, the demo key pair on disk, and the ops endpoints that
 * rotate a secret and replace a public key.
 */
class JengaAuthenticationTest {

    /** Tokens that live 2 s, so that a test can see one expire. */
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(() -> {
        Map<String, String> settings = new HashMap<>(JengaClient.SETTINGS);
        settings.put("KULIPA_JENGA_TOKEN_LIFETIME", "2s");
        return settings;
    });
    static JengaClient client;

    @BeforeAll
    static void start() {
        client = new JengaClient(gateway.get());
    }

    @Test
    void theMerchantGetsABearerTokenPairWithItsLifetime() {
        Response r = client.authenticate(JengaClient.API_KEY, JengaClient.MERCHANT_CODE, JengaClient.SECRET);
        r.then().statusCode(200).body("tokenType", equalTo("Bearer"));
        String access = r.path("accessToken");
        String refresh = r.path("refreshToken");
        assertThat(access).isNotBlank().isNotEqualTo(refresh);
        Instant issued = Instant.parse(r.path("issuedAt"));
        Instant expires = Instant.parse(r.path("expiresIn"));
        assertThat(Duration.between(issued, expires)).isEqualTo(Duration.ofSeconds(2));
        // Only digests are stored.
        List<String> stored = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT token_digest || ' ' || refresh_digest FROM jenga_access_token").mapTo(String.class).list());
        assertThat(String.join(",", stored)).doesNotContain(access).doesNotContain(refresh)
                .contains(Secrets.digest(access));
        String secrets = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT api_key_digest || secret_digest FROM jenga_merchant").mapTo(String.class).one());
        assertThat(secrets).doesNotContain(JengaClient.API_KEY).doesNotContain(JengaClient.SECRET);
    }

    @Test
    void wrongCredentialsAre401InJengasShape() {
        for (Response r : List.of(client.authenticate("wrong-key", JengaClient.MERCHANT_CODE, JengaClient.SECRET),
                client.authenticate(JengaClient.API_KEY, "0000000000", JengaClient.SECRET),
                client.authenticate(JengaClient.API_KEY, JengaClient.MERCHANT_CODE, "wrong-secret"))) {
            r.then().statusCode(401).body("status", equalTo(false)).body("code", equalTo(401100))
                    .body("message", containsString("consumerSecret"));
        }
        RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .body(Map.of("merchantCode", JengaClient.MERCHANT_CODE, "consumerSecret", JengaClient.SECRET))
                .post(JengaRoutes.AUTHENTICATE).then().statusCode(401).body("message", containsString("Api-Key"));
    }

    @Test
    void expiredMalformedAndForeignTokensAre401() throws InterruptedException {
        String token = client.authenticate(JengaClient.API_KEY, JengaClient.MERCHANT_CODE, JengaClient.SECRET)
                .path("accessToken");
        for (String bad : List.of("not-a-token", TestGateway.DEMO_TOKEN, "x".repeat(5000))) {
            pushWith(bad).then().statusCode(401).body("code", equalTo(401100))
                    .body("message", containsString("bearer token"));
        }
        RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON).body("{}")
                .post(JengaRoutes.PUSH).then().statusCode(401).body("status", equalTo(false));
        // A live token gets past authentication to the signature check.
        pushWith(token).then().statusCode(401).body("code", equalTo(401101));
        Thread.sleep(2_300);
        pushWith(token).then().statusCode(401).body("code", equalTo(401100));
    }

    private static Response pushWith(String token) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token).body("{}").post(JengaRoutes.PUSH);
    }

    @Test
    void theDemoPrivateKeyIsWrittenBesideTheDemoFileReadableByItsOwnerOnly() throws Exception {
        Path key = gateway.kulipa().dataDir().resolve(DemoKeyPair.PRIVATE_KEY_FILE);
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String demo = Files.readString(gateway.kulipa().dataDir().resolve("demo-merchant.json"));
        assertThat(demo).contains(JengaClient.API_KEY, JengaClient.MERCHANT_CODE, JengaDialect.DEMO_ACCOUNT_NUMBER,
                DemoKeyPair.PRIVATE_KEY_FILE);
        assertThat(gateway.kulipa().dialect(JengaDialect.class).demo().apiKey()).isEqualTo(JengaClient.API_KEY);
    }

    @Test
    void opsRotateTheSecretAndReplaceThePublicKey() {
        String base = "/ops/merchants/" + gateway.kulipa().demoMerchantId() + "/jenga";
        RestAssured.given().baseUri(gateway.baseUrl()).post(base + "/consumer-secret").then().statusCode(401);
        String secret = ops().post(base + "/consumer-secret").then().statusCode(200).extract().path("consumerSecret");
        try {
            client.authenticate(JengaClient.API_KEY, JengaClient.MERCHANT_CODE, JengaClient.SECRET).then().statusCode(401);
            client.authenticate(JengaClient.API_KEY, JengaClient.MERCHANT_CODE, secret).then().statusCode(200);
            ops().body(Map.of("publicKey", "not a key")).put(base + "/public-key").then().statusCode(400)
                    .body("errorMessage", containsString("publicKey"));
            var other = JengaClient.otherKeyPair();
            // Jenga's portal takes the key block without its header and footer lines; so does Kulipa.
            String bare = java.util.Base64.getEncoder().encodeToString(other.getPublic().getEncoded());
            ops().body(Map.of("publicKey", bare)).put(base + "/public-key").then().statusCode(204);
            ops().get(base + "/credentials").then().statusCode(200).body("publicKeyRegistered", equalTo(true))
                    .body("accountNumbers[0]", equalTo(JengaDialect.DEMO_ACCOUNT_NUMBER));
            String token = client.authenticate(JengaClient.API_KEY, JengaClient.MERCHANT_CODE, secret).path("accessToken");
            var body = JengaClient.body(JengaClient.ref(), "254764123456", "5.00", "http://127.0.0.1:9/cb");
            String signedByOld = JengaClient.sign(JengaClient.demoKey(gateway.get()), JengaClient.signedText(body));
            signed(token, body, signedByOld).then().statusCode(401).body("code", equalTo(401101));
            signed(token, body, JengaClient.sign(other.getPrivate(), JengaClient.signedText(body)))
                    .then().log().ifValidationFails().statusCode(200).body("code", equalTo(-1));
        } finally {
            ops().body(Map.of("consumerSecret", JengaClient.SECRET, "apiKey", JengaClient.API_KEY,
                    "merchantCode", JengaClient.MERCHANT_CODE, "publicKey", demoPublicPem()))
                    .put(base + "/credentials").then().statusCode(200);
        }
    }

    private static String demoPublicPem() {
        try {
            return Files.readString(gateway.kulipa().dataDir().resolve(DemoKeyPair.PUBLIC_KEY_FILE));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response signed(String token, Map<String, Object> body, String signature) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token).header("Signature", signature).body(body)
                .post(JengaRoutes.PUSH);
    }

    private static io.restassured.specification.RequestSpecification ops() {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN);
    }
}
