package io.kulipa.dialects.scantopay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.payments.PaymentKind;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A merchant's profile in JWT Bearer mode end to end: the merchant signs RS256 tokens with its own
 * private key, creates a code and has a customer pay it; Basic credentials are refused on a
 * Bearer profile; switching the mode either way clears the old credential in the database, so
 * that the old password or the old key opens nothing.
 */
class ScantopayBearerTest {

    static final String MSISDN = "27831234567";
    static TestGateway gateway;
    static UUID merchant;
    static KeyPair keys;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(Map.of("KULIPA_SANDBOX_APPROVAL_WINDOW", "60s"));
        merchant = UUID.fromString(admin().body(Map.of("name", "Bearer Shop")).post("/ops/merchants").then()
                .statusCode(201).extract().path("merchantId"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static RequestSpecification admin() {
        return RestAssured.given().baseUri(gateway.baseUrl()).header("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN)
                .contentType("application/json");
    }

    static RequestSpecification pluto(String authorization) {
        return RestAssured.given().baseUri(gateway.baseUrl()).header("Authorization", authorization)
                .contentType("application/json");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String pem(KeyPair k) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(k.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** An RS256 JWT as a merchant makes one: {@code sub} the username, {@code iat}, {@code exp}. */
    static String jwt(PrivateKey key, String alg, String sub, Instant iat, Instant exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"" + sub + "\",\"iat\":" + iat.getEpochSecond() + ",\"exp\":"
                + exp.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return "Bearer " + header + "." + claims + "." + b64.encodeToString(rsa.sign());
    }

    static String token(String sub) throws Exception {
        Instant now = Instant.now();
        return jwt(keys.getPrivate(), "RS256", sub, now, now.plus(Duration.ofMinutes(10)));
    }

    static Map<String, Object> credentials() {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT auth_mode, password_digest, public_key_pem "
                + "FROM scantopay_profile WHERE merchant_id = :m").bind("m", merchant).mapToMap().one());
    }

    @Test
    void aBearerProfilePaysACodeRefusesBasicAndSwitchingModesClearsTheOldCredential() throws Exception {
        String ops = "/ops/scantopay/merchants/" + merchant + "/profile";
        // Basic first, with a password Kulipa makes and answers once.
        String password = admin().body(Map.of("username", "bearer-shop", "authMode", "BASIC",
                "roles", List.of("EXTERNAL"))).put(ops).then().statusCode(200).body("authMode", equalTo("BASIC"))
                .extract().path("password");
        assertThat(password).hasSizeGreaterThanOrEqualTo(12);
        pluto(basic("bearer-shop", password)).get("/pluto/purchase/network/cards?msisdn=" + MSISDN).then()
                .statusCode(200);
        assertThat(credentials().get("password_digest")).isNotNull();

        // Switched to Bearer: the password is gone, in the database and at the door.
        admin().body(Map.of("username", "bearer-shop", "authMode", "BEARER", "publicKeyPem", pem(keys),
                "roles", List.of("EXTERNAL"))).put(ops).then().statusCode(200).body("authMode", equalTo("BEARER"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password")));
        Map<String, Object> row = credentials();
        assertThat(row.get("auth_mode")).isEqualTo("BEARER");
        assertThat(row.get("password_digest")).isNull();
        assertThat(row.get("public_key_pem")).isNotNull();
        pluto(basic("bearer-shop", password)).get("/pluto/purchase/network/cards?msisdn=" + MSISDN).then()
                .statusCode(401).body("name", equalTo("UNAUTHORIZED"))
                .body("message", org.hamcrest.Matchers.containsString("Authorization"));

        // The merchant's own token creates a code and the customer pays it (auto-approved PIN).
        String code = pluto(token("bearer-shop")).body(Map.of("amount", new BigDecimal("42.00"),
                "merchantReference", "jwt-order-1")).post("/pluto/code/create").then().statusCode(200)
                .extract().path("code");
        long txId = pluto(token("bearer-shop")).body(Map.of("msisdn", MSISDN, "code", code))
                .post("/pluto/purchase/network/code").then().statusCode(200).extract().jsonPath().getLong("transactionId");
        await().atMost(Duration.ofSeconds(15)).until(() -> gateway.kulipa().core().payments().find(merchant,
                "scantopay", PaymentKind.DEPOSIT, Long.toString(txId)).map(p -> p.state().isFinal()).orElse(false));
        pluto(token("bearer-shop")).get("/pluto/code/transaction/state/" + txId).then().statusCode(200)
                .body("txState", equalTo("SUCCESS")).body("reference", equalTo("jwt-order-1"));
        // No notification URL: the merchant polls, and queryRef answers it.
        pluto(token("bearer-shop")).body(Map.of("code", code, "merchantReference", "jwt-order-1"))
                .post("/pluto/code/queryRef").then().statusCode(200).body("status", equalTo("SUCCESS"));
        // The profile has no STK role.
        pluto(token("bearer-shop")).body(Map.of("msisdn", MSISDN)).post("/pluto/stk/balance").then().statusCode(403);

        // Tokens that are not the merchant's, or not as the profile requires, open nothing.
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey stranger = g.generateKeyPair().getPrivate();
        Instant now = Instant.now();
        for (String bad : List.of(
                jwt(stranger, "RS256", "bearer-shop", now, now.plusSeconds(600)),
                jwt(keys.getPrivate(), "RS256", "bearer-shop", now.minusSeconds(7200), now.minusSeconds(3600)),
                jwt(keys.getPrivate(), "RS256", "bearer-shop", now, now.plus(Duration.ofHours(2))),
                jwt(keys.getPrivate(), "RS256", "someone-else", now, now.plusSeconds(600)),
                jwt(keys.getPrivate(), "HS256", "bearer-shop", now, now.plusSeconds(600)),
                "Bearer not.a-jwt")) {
            pluto(bad).get("/pluto/purchase/network/cards?msisdn=" + MSISDN).then().statusCode(401);
        }

        // Back to Basic with a chosen password: the key is gone, the token opens nothing.
        String again = "a-brand-new-basic-password";
        admin().body(Map.of("username", "bearer-shop", "authMode", "BASIC", "password", again,
                "roles", List.of("EXTERNAL"))).put(ops).then().statusCode(200)
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password")));
        row = credentials();
        assertThat(row.get("auth_mode")).isEqualTo("BASIC");
        assertThat(row.get("public_key_pem")).isNull();
        assertThat(row.get("password_digest")).isNotNull();
        pluto(token("bearer-shop")).get("/pluto/purchase/network/cards?msisdn=" + MSISDN).then().statusCode(401);
        pluto(basic("bearer-shop", password)).get("/pluto/purchase/network/cards?msisdn=" + MSISDN).then()
                .statusCode(401);
        pluto(basic("bearer-shop", again)).get("/pluto/code/transaction/state/" + txId).then().statusCode(200)
                .body("txState", equalTo("SUCCESS"));
    }

    @Test
    void aBearerProfileNeedsAnRsaPublicKey() {
        UUID other = UUID.fromString(admin().body(Map.of("name", "Keyless Shop")).post("/ops/merchants").then()
                .statusCode(201).extract().path("merchantId"));
        admin().body(Map.of("username", "keyless-shop", "authMode", "BEARER", "publicKeyPem", "not a key"))
                .put("/ops/scantopay/merchants/" + other + "/profile").then().statusCode(400)
                .body("errorMessage", org.hamcrest.Matchers.startsWith("publicKeyPem:"));
        admin().body(Map.of("username", "keyless-shop", "authMode", "BASIC", "password", "short"))
                .put("/ops/scantopay/merchants/" + other + "/profile").then().statusCode(400)
                .body("errorMessage", org.hamcrest.Matchers.startsWith("password:"));
        admin().get("/ops/scantopay/merchants/" + other + "/profile").then().statusCode(404);
    }
}
