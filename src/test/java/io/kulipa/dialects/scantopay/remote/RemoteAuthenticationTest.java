package io.kulipa.dialects.scantopay.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Managers of wallet brands: Basic or JWT Bearer + PKI, one mode at a time (switching clears the
 * other's credential), each request authenticated on its own, JSON required on every POST.
 */
class RemoteAuthenticationTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    private static final Map<String, String> BIN = Map.of("bin", "400500");

    @Test
    void theDemoManagerAuthenticatesWithBasicAndBadCredentialsAre401() {
        var demo = RemoteClient.demo(gateway.get());
        assertThat(demo.brand()).isEqualTo(ScanToPayRemoteDialect.DEMO_BRAND);
        RemoteClient.asDemo(gateway.get()).body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(200)
                .body("status", equalTo("SUCCESS")).body("authMethod", equalTo("3DS")).body("cvvNeeded", equalTo(true))
                .body("accNeeded", equalTo(false));
        RemoteClient.basic(gateway.get(), demo.username(), demo.password() + "x").body(BIN).post(RemoteRoutes.BIN_LOOKUP)
                .then().statusCode(401).body("status", equalTo("UNAUTHORIZED"));
        RestAssured.given().baseUri(gateway.get().baseUrl()).contentType("application/json").body(BIN)
                .post(RemoteRoutes.BIN_LOOKUP).then().statusCode(401).body("errorMessage", containsString("Authorization"));
        // Each request on its own: no cookie is set, none is needed.
        var answer = RemoteClient.asDemo(gateway.get()).body(BIN).post(RemoteRoutes.BIN_LOOKUP);
        assertThat(answer.getHeader("Set-Cookie")).isNull();
    }

    @Test
    void aPostWithoutJsonContentTypeIs400EvenWithGoodCredentials() {
        var demo = RemoteClient.demo(gateway.get());
        RemoteClient.basic(gateway.get(), demo.username(), demo.password()).contentType("text/plain").body("{\"bin\":\"400500\"}")
                .post(RemoteRoutes.BIN_LOOKUP).then().statusCode(400).body("status", equalTo("BAD_REQUEST"))
                .body("errorMessage", containsString("Content-Type"));
        RemoteClient.asDemo(gateway.get()).body(Map.of("bin", "12")).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(400)
                .body("errorMessage", containsString("bin:"));
        RemoteClient.asDemo(gateway.get()).body(Map.of("bin", "999999")).post(RemoteRoutes.BIN_LOOKUP).then()
                .statusCode(200).body("status", equalTo("ERROR")).body("errorMessage", containsString("bin:"));
    }

    @Test
    void aBearerManagerIsVerifiedWithItsPublicKeyAndSwitchingClearsTheOtherCredential() throws Exception {
        TestGateway g = gateway.get();
        String brand = RemoteClient.brand(g, "Bearer Bank " + System.nanoTime());
        String username = "bearer-" + System.nanoTime();
        var basic = g.as(TestGateway.ADMIN_TOKEN).contentType("application/json")
                .body(Map.of("username", username, "authMode", "BASIC")).put(RemoteOpsRoutes.MANAGER, brand)
                .then().statusCode(200).body("authMode", equalTo("BASIC")).extract().<String>path("password");
        RemoteClient.basic(g, username, basic).body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(200);

        var keys = RemoteClient.rsa();
        g.as(TestGateway.ADMIN_TOKEN).contentType("application/json")
                .body(Map.of("authMode", "BEARER", "publicKey", RemoteClient.publicPem(keys)))
                .put(RemoteOpsRoutes.MANAGER, brand).then().statusCode(200).body("authMode", equalTo("BEARER"))
                .body("password", equalTo(null));
        // The Basic password is gone with the switch.
        RemoteClient.basic(g, username, basic).body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(401)
                .body("errorMessage", containsString("Bearer JWT, not Basic"));
        Instant now = Instant.now();
        String good = RemoteClient.jwt(keys, username, now, now.plus(Duration.ofMinutes(5)));
        RemoteClient.bearer(g, good).body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(200)
                .body("status", equalTo("SUCCESS"));
        RemoteClient.bearer(g, RemoteClient.jwt(keys, username, now.minus(Duration.ofMinutes(10)),
                now.minus(Duration.ofMinutes(5)))).body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(401)
                .body("errorMessage", containsString("expired"));
        RemoteClient.bearer(g, RemoteClient.jwt(keys, username, now, null)).body(BIN).post(RemoteRoutes.BIN_LOOKUP)
                .then().statusCode(401).body("errorMessage", containsString("no exp"));
        RemoteClient.bearer(g, RemoteClient.jwt(keys, username, now, now.plus(Duration.ofDays(1)))).body(BIN)
                .post(RemoteRoutes.BIN_LOOKUP).then().statusCode(401).body("errorMessage", containsString("longer"));
        RemoteClient.bearer(g, RemoteClient.jwt(RemoteClient.rsa(), username, now, now.plus(Duration.ofMinutes(5))))
                .body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(401)
                .body("errorMessage", containsString("does not verify"));
        String tampered = good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
        RemoteClient.bearer(g, tampered).body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(401);
        RemoteClient.bearer(g, "not.a.jwt").body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(401);

        // Back to Basic: a new password, and the key no longer admits anyone.
        String again = g.as(TestGateway.ADMIN_TOKEN).contentType("application/json")
                .body(Map.of("authMode", "BASIC")).put(RemoteOpsRoutes.MANAGER, brand).then().statusCode(200)
                .extract().path("password");
        assertThat(again).isNotEqualTo(basic);
        RemoteClient.bearer(g, good).body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(401)
                .body("errorMessage", containsString("Basic, not a Bearer JWT"));
        RemoteClient.basic(g, username, again).body(BIN).post(RemoteRoutes.BIN_LOOKUP).then().statusCode(200);
        var row = g.jdbi().withHandle(h -> h.createQuery("SELECT auth_mode, password_digest IS NULL AS no_pw, "
                + "public_key_pem IS NULL AS no_key FROM stp_remote_manager WHERE username = :u").bind("u", username)
                .mapToMap().one());
        assertThat(row).containsEntry("auth_mode", "BASIC").containsEntry("no_pw", false).containsEntry("no_key", true);
    }

    @Test
    void operationsRefuseWhatIsNotAManagerAndNeedTheAdminToken() {
        TestGateway g = gateway.get();
        String brand = RemoteClient.brand(g, "Ops Bank " + System.nanoTime());
        g.as(TestGateway.ADMIN_TOKEN).contentType("application/json").body(Map.of("name", "Ops Bank x"))
                .post(RemoteOpsRoutes.BRANDS).then().statusCode(201);
        g.as(TestGateway.ADMIN_TOKEN).contentType("application/json").body(Map.of("name", "Ops Bank x"))
                .post(RemoteOpsRoutes.BRANDS).then().statusCode(409).body("errorMessage", containsString("name:"));
        g.as(TestGateway.ADMIN_TOKEN).contentType("application/json").body(Map.of("username", "x1y2z3", "authMode", "BOTH"))
                .put(RemoteOpsRoutes.MANAGER, brand).then().statusCode(400).body("errorMessage", containsString("authMode"));
        g.as(TestGateway.ADMIN_TOKEN).contentType("application/json").body(Map.of("username", "x1y2z3", "authMode", "BEARER",
                "publicKey", "nope")).put(RemoteOpsRoutes.MANAGER, brand).then().statusCode(400)
                .body("errorMessage", containsString("publicKey"));
        g.as(TestGateway.ADMIN_TOKEN).contentType("application/json").body(Map.of("username",
                RemoteClient.demo(g).username(), "authMode", "BASIC")).put(RemoteOpsRoutes.MANAGER, brand).then()
                .statusCode(400).body("errorMessage", containsString("taken"));
        g.as(TestGateway.DEMO_TOKEN).get(RemoteOpsRoutes.BRANDS).then().statusCode(401);
        g.as(TestGateway.ADMIN_TOKEN).get(RemoteOpsRoutes.BRANDS).then().statusCode(200)
                .body("brands.name", org.hamcrest.Matchers.hasItem(ScanToPayRemoteDialect.DEMO_BRAND));
    }

    @Test
    void theMenuIsTheBrandsVasTreeAndEmptyForABrandWithout() {
        TestGateway g = gateway.get();
        RemoteClient.asDemo(g).get(RemoteRoutes.MENU).then().statusCode(200).body("status", equalTo("SUCCESS"))
                .body("categories.id", org.hamcrest.Matchers.contains("AIRTIME", "BILLS"))
                .body("categories[0].products[0].inputsRequired[0].regex", equalTo("^27[0-9]{9}$"));
        String brand = RemoteClient.brand(g, "No VAS Bank " + System.nanoTime());
        String username = "novas-" + System.nanoTime();
        String password = g.as(TestGateway.ADMIN_TOKEN).contentType("application/json")
                .body(Map.of("username", username, "authMode", "BASIC")).put(RemoteOpsRoutes.MANAGER, brand)
                .then().statusCode(200).extract().path("password");
        RemoteClient.basic(g, username, password).get(RemoteRoutes.MENU).then().statusCode(200)
                .body("categories", org.hamcrest.Matchers.empty());
        RestAssured.given().baseUri(g.baseUrl()).get(RemoteRoutes.MENU).then().statusCode(401);
    }
}
