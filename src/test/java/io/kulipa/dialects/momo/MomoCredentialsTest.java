package io.kulipa.dialects.momo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.javalin.Javalin;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.dialects.momo.credentials.AuthenticatingMomoCall;
import io.kulipa.dialects.momo.credentials.GrantingSubscriptionKeys;
import io.kulipa.dialects.momo.credentials.IssuingAccessToken;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.store.Database;
import io.kulipa.store.JdbiMerchantStore;
import io.kulipa.dialects.momo.store.JdbiMomoCredentialStore;
import io.kulipa.testing.MutableClock;
import io.kulipa.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MoMo's sandbox provisioning and token endpoints over HTTP, as MoMo's client libraries call
 * them, on a Javalin of their own. A stand-in product route checks bearer tokens through
 * {@link MomoAuth}, the way the payment routes will.
 */
class MomoCredentialsTest {

    static Database db;
    static Javalin app;
    static String base;
    static OnboardingMerchant onboarding;
    static GrantingSubscriptionKeys granting;
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        db = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "",
                Files.createTempDirectory("kulipa-momo-http"), 4));
        JdbiMomoCredentialStore store = new JdbiMomoCredentialStore(db.jdbi());
        onboarding = new OnboardingMerchant(new JdbiMerchantStore(db.jdbi()));
        granting = new GrantingSubscriptionKeys(store);
        MomoRoutes routes = new MomoRoutes(new ProvisioningApiUser(store, CLOCK), new IssuingAccessToken(store, CLOCK));
        MomoAuth auth = new MomoAuth(new AuthenticatingMomoCall(store, CLOCK));
        app = Javalin.create(cfg -> {
            routes.register(cfg.routes);
            for (MomoProduct product : MomoProduct.values()) {
                cfg.routes.get("/" + product.wireName() + "/test/whoami", ctx -> auth.caller(ctx, product)
                        .ifPresent(c -> ctx.json(Map.of("merchantId", c.merchantId().toString(),
                                "apiUser", c.apiUserId().toString(), "product", c.product().wireName()))));
            }
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        app.stop();
        db.close();
    }

    static UUID merchant() {
        return onboarding.onboard("Momo HTTP merchant " + UUID.randomUUID(), Set.of(), Map.of(), null).merchant().id();
    }

    static RequestSpecification momo(String subscriptionKey) {
        RequestSpecification spec = given().baseUri(base).contentType(ContentType.JSON);
        return subscriptionKey == null ? spec : spec.header("Ocp-Apim-Subscription-Key", subscriptionKey);
    }

    static Response createUser(String key, String referenceId, Object host) {
        RequestSpecification spec = momo(key).header("X-Reference-Id", referenceId);
        return (host == null ? spec : spec.body(Map.of("providerCallbackHost", host))).post("/v1_0/apiuser");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A provisioned API user with its key, under a merchant holding one key for all products. */
    record Client(UUID merchantId, String key, String apiUser, String apiKey) {
        Response token(MomoProduct product) {
            return momo(key).header("Authorization", basic(apiUser, apiKey)).post("/" + product.wireName() + "/token/");
        }

        String accessToken(MomoProduct product) {
            return token(product).then().statusCode(200).extract().path("access_token");
        }
    }

    static Client client() {
        UUID merchant = merchant();
        String key = granting.grantAll(merchant, null);
        String user = UUID.randomUUID().toString();
        createUser(key, user, "webhook.site").then().statusCode(201);
        String apiKey = momo(key).post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(201)
                .extract().path("apiKey");
        return new Client(merchant, key, user, apiKey);
    }

    static Response whoami(String key, String bearer, MomoProduct product) {
        RequestSpecification spec = momo(key);
        if (bearer != null) {
            spec = spec.header("Authorization", "Bearer " + bearer);
        }
        return spec.get("/" + product.wireName() + "/test/whoami");
    }

    @Test
    void provisioningAUserItsKeyAndATokenForEachProduct() {
        UUID merchant = merchant();
        String key = granting.grantAll(merchant, null);
        String user = UUID.randomUUID().toString();
        createUser(key, user, "webhook.site").then().statusCode(201).body(emptyString());
        momo(key).get("/v1_0/apiuser/" + user).then().statusCode(200)
                .body("providerCallbackHost", equalTo("webhook.site"))
                .body("targetEnvironment", equalTo("sandbox"));
        String apiKey = momo(key).post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(201)
                .body("apiKey", matchesPattern("[0-9a-f]{32}")).extract().path("apiKey");
        Client c = new Client(merchant, key, user, apiKey);
        for (MomoProduct product : MomoProduct.values()) {
            String token = c.token(product).then().statusCode(200)
                    .contentType(ContentType.JSON)
                    .body("token_type", equalTo("access_token"))
                    .body("expires_in", equalTo(3600))
                    .body("access_token", matchesPattern("[A-Za-z0-9_-]{40,}"))
                    .extract().path("access_token");
            whoami(key, token, product).then().statusCode(200)
                    .body("merchantId", equalTo(merchant.toString()))
                    .body("apiUser", equalTo(user))
                    .body("product", equalTo(product.wireName()));
        }
    }

    @Test
    void theTokenPathWorksWithOrWithoutItsTrailingSlashAndIgnoresABody() {
        Client c = client();
        momo(c.key()).header("Authorization", basic(c.apiUser(), c.apiKey()))
                .body(Map.of("grant_type", "client_credentials")).post("/collection/token")
                .then().statusCode(200).body("token_type", equalTo("access_token"));
    }

    @Test
    void aReusedReferenceIdIsRefusedWithResourceAlreadyExist() {
        Client c = client();
        createUser(c.key(), c.apiUser(), "other.example").then().statusCode(409)
                .body("code", equalTo("RESOURCE_ALREADY_EXIST"))
                .body("message", equalTo("Duplicated reference id. Creation of resource failed."));
        momo(c.key()).get("/v1_0/apiuser/" + c.apiUser()).then().body("providerCallbackHost", equalTo("webhook.site"));
    }

    @Test
    void theCallbackHostMayBeABareHostOrAWholeUrl() {
        UUID merchant = merchant();
        String key = granting.grantAll(merchant, null);
        Map<String, String> given = Map.of(
                "webhook.site", "webhook.site",
                "https://Webhook.Site/6a0c2f/callback?x=1", "webhook.site",
                "shop.example.com:8443", "shop.example.com",
                "http://shop.example.com:8443/momo", "shop.example.com");
        given.forEach((text, host) -> {
            String user = UUID.randomUUID().toString();
            createUser(key, user, text).then().statusCode(201);
            momo(key).get("/v1_0/apiuser/" + user).then().statusCode(200).body("providerCallbackHost", equalTo(host));
        });
        createUser(key, UUID.randomUUID().toString(), "not a host").then().statusCode(400)
                .body("code", equalTo("BAD_REQUEST")).body("message", containsString("providerCallbackHost"));
    }

    @Test
    void badProvisioningRequestsNameWhatIsWrong() {
        UUID merchant = merchant();
        String key = granting.grantAll(merchant, null);
        momo(key).body(Map.of("providerCallbackHost", "webhook.site")).post("/v1_0/apiuser").then().statusCode(400)
                .body("code", equalTo("BAD_REQUEST")).body("message", containsString("X-Reference-Id"));
        createUser(key, "12345", "webhook.site").then().statusCode(400)
                .body("message", containsString("X-Reference-Id"));
        createUser(key, UUID.randomUUID().toString(), null).then().statusCode(400)
                .body("message", containsString("providerCallbackHost"));
        createUser(key, UUID.randomUUID().toString(), 42).then().statusCode(400)
                .body("message", containsString("providerCallbackHost"));
        momo(key).header("X-Reference-Id", UUID.randomUUID().toString()).body("{not json").post("/v1_0/apiuser")
                .then().statusCode(400).body("message", containsString("providerCallbackHost"));
    }

    @Test
    void aMissingOrWrongSubscriptionKeyIsRefusedByTheGateway() {
        String user = UUID.randomUUID().toString();
        createUser(null, user, "webhook.site").then().statusCode(401)
                .body("statusCode", equalTo(401)).body("message", containsString("missing subscription key"));
        createUser("0123456789abcdef0123456789abcdef", user, "webhook.site").then().statusCode(401)
                .body("statusCode", equalTo(401)).body("message", containsString("invalid subscription key"));
        momo("wrong").get("/v1_0/apiuser/" + user).then().statusCode(401);
        momo("wrong").post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(401);
        Client c = client();
        momo("wrong").header("Authorization", basic(c.apiUser(), c.apiKey())).post("/collection/token/")
                .then().statusCode(401).body("message", containsString("invalid subscription key"));
        momo(null).header("Authorization", basic(c.apiUser(), c.apiKey())).post("/collection/token/")
                .then().statusCode(401).body("message", containsString("missing subscription key"));
    }

    @Test
    void anUnknownOrForeignUserIsNotFound() {
        Client c = client();
        Client other = client();
        momo(c.key()).get("/v1_0/apiuser/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"))
                .body("message", equalTo("Requested resource was not found."));
        momo(c.key()).get("/v1_0/apiuser/not-a-uuid").then().statusCode(404).body("code", equalTo("RESOURCE_NOT_FOUND"));
        momo(c.key()).post("/v1_0/apiuser/" + UUID.randomUUID() + "/apikey").then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
        momo(other.key()).get("/v1_0/apiuser/" + c.apiUser()).then().statusCode(404);
        momo(other.key()).post("/v1_0/apiuser/" + c.apiUser() + "/apikey").then().statusCode(404);
        // The foreign merchant's attempt did not replace the user's key.
        c.token(MomoProduct.COLLECTION).then().statusCode(200);
    }

    @Test
    void wrongCredentialsGetLoginFailed() {
        Client c = client();
        Client other = client();
        momo(c.key()).header("Authorization", basic(c.apiUser(), "0123456789abcdef0123456789abcdef"))
                .post("/collection/token/").then().statusCode(401).body("error", equalTo("login_failed"));
        momo(c.key()).header("Authorization", basic(UUID.randomUUID().toString(), c.apiKey()))
                .post("/disbursement/token/").then().statusCode(401).body("error", equalTo("login_failed"));
        // Another merchant's user and key, under this merchant's subscription key.
        momo(c.key()).header("Authorization", basic(other.apiUser(), other.apiKey()))
                .post("/remittance/token/").then().statusCode(401).body("error", equalTo("login_failed"));
        momo(c.key()).post("/collection/token/").then().statusCode(400)
                .body("code", equalTo("BAD_REQUEST")).body("message", containsString("Authorization"));
        momo(c.key()).header("Authorization", "Basic %%%").post("/collection/token/").then().statusCode(400)
                .body("message", containsString("Authorization"));
        momo(c.key()).header("Authorization", "Bearer " + c.apiKey()).post("/collection/token/").then()
                .statusCode(400);
    }

    @Test
    void aNewApiKeyReplacesTheOld() {
        Client c = client();
        String newer = momo(c.key()).post("/v1_0/apiuser/" + c.apiUser() + "/apikey").then().statusCode(201)
                .extract().path("apiKey");
        c.token(MomoProduct.COLLECTION).then().statusCode(401).body("error", equalTo("login_failed"));
        new Client(c.merchantId(), c.key(), c.apiUser(), newer).token(MomoProduct.COLLECTION).then().statusCode(200);
    }

    @Test
    void aSubscriptionKeyOfAnotherProductIsRefused() {
        UUID merchant = merchant();
        String collectionKey = granting.grant(merchant, MomoProduct.COLLECTION, null);
        String disbursementKey = granting.grant(merchant, MomoProduct.DISBURSEMENT, null);
        String user = UUID.randomUUID().toString();
        // Provisioning takes a key of any product.
        createUser(disbursementKey, user, "webhook.site").then().statusCode(201);
        String apiKey = momo(collectionKey).post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(201)
                .extract().path("apiKey");
        momo(disbursementKey).header("Authorization", basic(user, apiKey)).post("/collection/token/")
                .then().statusCode(401).body("statusCode", equalTo(401))
                .body("message", containsString("invalid subscription key"));
        momo(collectionKey).header("Authorization", basic(user, apiKey)).post("/remittance/token/")
                .then().statusCode(401).body("message", containsString("invalid subscription key"));
        String token = momo(collectionKey).header("Authorization", basic(user, apiKey)).post("/collection/token/")
                .then().statusCode(200).extract().path("access_token");
        whoami(collectionKey, token, MomoProduct.COLLECTION).then().statusCode(200);
        whoami(disbursementKey, token, MomoProduct.COLLECTION).then().statusCode(401)
                .body("message", containsString("invalid subscription key"));
        whoami(disbursementKey, token, MomoProduct.DISBURSEMENT).then().statusCode(401)
                .body("message", containsString("not issued for this subscription key"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        Client c = client();
        String token = c.accessToken(MomoProduct.COLLECTION);
        CLOCK.advance(IssuingAccessToken.TOKEN_LIFETIME.minusSeconds(1));
        whoami(c.key(), token, MomoProduct.COLLECTION).then().statusCode(200);
        CLOCK.advance(Duration.ofSeconds(1));
        whoami(c.key(), token, MomoProduct.COLLECTION).then().statusCode(401)
                .body("statusCode", equalTo(401)).body("message", containsString("expired access token"));
        String fresh = c.accessToken(MomoProduct.COLLECTION);
        whoami(c.key(), fresh, MomoProduct.COLLECTION).then().statusCode(200);
    }

    @Test
    void aForeignOrMissingTokenIsRefused() {
        Client c = client();
        Client other = client();
        String otherToken = other.accessToken(MomoProduct.COLLECTION);
        whoami(c.key(), otherToken, MomoProduct.COLLECTION).then().statusCode(401)
                .body("message", containsString("not issued for this subscription key"));
        String collection = c.accessToken(MomoProduct.COLLECTION);
        whoami(c.key(), collection, MomoProduct.DISBURSEMENT).then().statusCode(401)
                .body("message", containsString("not issued for this subscription key"));
        whoami(c.key(), "made-up-token", MomoProduct.COLLECTION).then().statusCode(401)
                .body("message", containsString("invalid access token"));
        whoami(c.key(), null, MomoProduct.COLLECTION).then().statusCode(401)
                .body("message", containsString("missing access token"));
        momo(c.key()).header("Authorization", basic(c.apiUser(), c.apiKey())).get("/collection/test/whoami")
                .then().statusCode(401).body("message", containsString("missing access token"));
        whoami(null, collection, MomoProduct.COLLECTION).then().statusCode(401)
                .body("message", containsString("missing subscription key"));
        assertThat(collection).isNotEqualTo(otherToken);
    }
}
