package io.kulipa.dialects.momo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MoMo's KYC as a service over HTTP against a whole gateway: the consent flow (bc-authorize,
 * the CIBA token grant polled while the customer decides on the virtual handset, userinfo) and
 * basicuserinfo, with the simulated wallets' KYC profiles.
 */
class MomoIdentityTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_SANDBOX_APPROVAL_WINDOW", "2s"));
    static MomoClient momo;

    @BeforeAll
    static void provision() {
        momo = MomoClient.provision(gateway.get(), "127.0.0.1");
    }

    static void manual(String msisdn) {
        gateway.anonymous().body(Map.of("approval", "manual")).put("/sandbox/handsets/" + msisdn + "/wallet")
                .then().statusCode(200);
    }

    static Response authorize(String product, String msisdn, String scope) {
        return momo.product(product, "sandbox").contentType(ContentType.URLENC)
                .formParam("login_hint", "ID:" + msisdn + "/MSISDN").formParam("scope", scope)
                .formParam("access_type", "offline").post("/" + product + "/v1_0/bc-authorize");
    }

    static Response token(String product, String authReqId) {
        return momo.keyOnly().header("Authorization", momo.basicCredentials())
                .header("X-Target-Environment", "sandbox").contentType(ContentType.URLENC)
                .formParam("grant_type", "urn:openid:params:grant-type:ciba").formParam("auth_req_id", authReqId)
                .post("/" + product + "/oauth2/token/");
    }

    static RequestSpecification withToken(String accessToken) {
        return momo.keyOnly().header("Authorization", "Bearer " + accessToken).header("X-Target-Environment", "sandbox");
    }

    static List<Map<String, Object>> prompts(String msisdn) {
        return gateway.anonymous().get("/sandbox/handsets/" + msisdn + "/prompts").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    static String awaitConsentPrompt(String msisdn) {
        Map<String, Object> prompt = await().atMost(Duration.ofSeconds(5))
                .until(() -> prompts(msisdn), l -> l.size() == 1).getFirst();
        assertThat(prompt.get("kind")).isEqualTo("CONSENT");
        return (String) prompt.get("reference");
    }

    @Test
    void aConsentIsPendingUntilApprovedThenBuysOneShortLivedTokenForTheProfile() {
        String msisdn = "46733123801";
        manual(msisdn);
        gateway.anonymous().body(Map.of("kyc", Map.of("givenName", "Amina", "familyName", "Banda",
                        "gender", "FEMALE", "birthDate", "1991-04-21", "locale", "sw_KE")))
                .put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(200);
        String authReqId = authorize("collection", msisdn, "openid profile").then().statusCode(200)
                .body("interval", equalTo(5)).body("expires_in", equalTo(2)).extract().path("auth_req_id");
        token("collection", authReqId).then().statusCode(400).body("error", equalTo("authorization_pending"));
        String reference = awaitConsentPrompt(msisdn);
        gateway.anonymous().body(Map.of("pin", "0000"))
                .post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/approve").then().statusCode(403);
        gateway.anonymous().body(Map.of("pin", "1234"))
                .post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/approve").then().statusCode(200);

        Response issued = token("collection", authReqId);
        issued.then().statusCode(200).body("token_type", equalTo("Bearer")).body("expires_in", equalTo(300))
                .body("scope", equalTo("openid profile")).body("refresh_token", notNullValue())
                .body("refresh_token_expired_in", notNullValue());
        String accessToken = issued.path("access_token");
        withToken(accessToken).get("/collection/oauth2/v1_0/userinfo").then().statusCode(200)
                .body("sub", equalTo(msisdn)).body("name", equalTo("Amina Banda"))
                .body("given_name", equalTo("Amina")).body("family_name", equalTo("Banda"))
                .body("gender", equalTo("FEMALE")).body("birthdate", equalTo("1991-04-21"))
                .body("locale", equalTo("sw_KE"));

        // The auth_req_id buys tokens once; another product's token endpoint does not know it.
        token("collection", authReqId).then().statusCode(400).body("error", equalTo("invalid_grant"));
        token("disbursement", authReqId).then().statusCode(400).body("error", equalTo("invalid_grant"));
        // A product access token is no identity token, and an identity token is no product token.
        withToken(momo.token("collection")).get("/collection/oauth2/v1_0/userinfo").then().statusCode(401);
        withToken(accessToken).get("/collection/v1_0/account/balance").then().statusCode(401);
        // Once expired it opens nothing.
        gateway.jdbi().useHandle(h -> h.execute(
                "UPDATE momo_oauth2_token SET expires_at = now() - interval '1 second', "
                        + "issued_at = now() - interval '10 minutes'"));
        withToken(accessToken).get("/collection/oauth2/v1_0/userinfo").then().statusCode(401)
                .body("message", org.hamcrest.Matchers.containsString("expired"));
        // Tokens and auth_req_ids are kept as digests only.
        int clearTokens = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM momo_oauth2_token WHERE token_digest = :t").bind("t", accessToken)
                .mapTo(Integer.class).one());
        int clearRequests = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM momo_consent WHERE auth_req_digest = :t").bind("t", authReqId)
                .mapTo(Integer.class).one());
        assertThat(clearTokens + clearRequests).isZero();
    }

    @Test
    void aRejectedConsentIsAccessDeniedAndAnUnansweredOneExpires() {
        String msisdn = "46733123802";
        manual(msisdn);
        String rejected = authorize("disbursement", msisdn, "profile").then().statusCode(200)
                .extract().path("auth_req_id");
        gateway.anonymous().post("/sandbox/handsets/" + msisdn + "/prompts/" + awaitConsentPrompt(msisdn) + "/reject")
                .then().statusCode(200);
        token("disbursement", rejected).then().statusCode(400).body("error", equalTo("access_denied"));

        String unanswered = authorize("disbursement", msisdn, "profile").then().statusCode(200)
                .extract().path("auth_req_id");
        await().atMost(Duration.ofSeconds(10)).until(() -> "expired_token".equals(
                token("disbursement", unanswered).then().statusCode(400).extract().path("error")));
    }

    @Test
    void withAutomaticApprovalTheConsentIsGivenByItself() {
        String msisdn = "46733123803";
        String authReqId = authorize("remittance", msisdn, "profile").then().statusCode(200)
                .extract().path("auth_req_id");
        String accessToken = await().atMost(Duration.ofSeconds(10)).until(() -> token("remittance", authReqId)
                .then().extract().<String>path("access_token"), t -> t != null);
        Map<String, Object> basic = momo.remittance()
                .get("/remittance/v1_0/accountholder/msisdn/" + msisdn + "/basicuserinfo").then().statusCode(200)
                .extract().jsonPath().getMap("$");
        withToken(accessToken).get("/remittance/oauth2/v1_0/userinfo").then().statusCode(200)
                .body("given_name", equalTo(basic.get("given_name")))
                .body("family_name", equalTo(basic.get("family_name")));
    }

    @Test
    void badConsentRequestsAndWrongCredentialsAreRefused() {
        momo.collection().contentType(ContentType.URLENC).formParam("login_hint", "46733123804")
                .formParam("scope", "profile").post("/collection/v1_0/bc-authorize").then().statusCode(400)
                .body("code", equalTo("BAD_REQUEST"));
        authorize("collection", "46733123804", "email").then().statusCode(400);
        authorize("collection", "260763000001", "profile").then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
        momo.keyOnly().header("X-Target-Environment", "sandbox").contentType(ContentType.URLENC)
                .formParam("login_hint", "ID:46733123804/MSISDN").formParam("scope", "profile")
                .post("/collection/v1_0/bc-authorize").then().statusCode(401);
        token("collection", "no-such-request").then().statusCode(400).body("error", equalTo("invalid_grant"));
        momo.keyOnly().header("Authorization", "Basic " + MomoClient.basic(momo.apiUser(), "wrong"))
                .contentType(ContentType.URLENC).formParam("grant_type", "urn:openid:params:grant-type:ciba")
                .formParam("auth_req_id", "x").post("/collection/oauth2/token/").then().statusCode(401)
                .body("error", equalTo("login_failed"));
        momo.keyOnly().header("Authorization", momo.basicCredentials()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/collection/oauth2/token/").then()
                .statusCode(400).body("error", equalTo("unsupported_grant_type"));
        withToken("not-a-token").get("/collection/oauth2/v1_0/userinfo").then().statusCode(401);
    }

    /**
     * Found by OpenApiFuzzTest: a body declared multipart (or in a charset the JDK does not know)
     * made the servlet's form parser throw a checked exception through the handler, answered 500.
     * Such a body has no form fields, so it is refused as a form without them.
     */
    @Test
    void aBodyThatIsNotAFormIsRefusedWith400NotAnInternalError() {
        for (String product : List.of("collection", "disbursement", "remittance")) {
            for (String type : List.of("multipart/form-data; boundary=x", "multipart/form-data")) {
                momo.product(product, "sandbox").contentType(type).body("login_hint=ID:46733123804/MSISDN".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)).post("/" + product + "/v1_0/bc-authorize").then()
                        .statusCode(400);
                momo.keyOnly().header("Authorization", momo.basicCredentials()).header("X-Target-Environment", "sandbox")
                        .contentType(type).body("grant_type=x".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .post("/" + product + "/oauth2/token/").then().statusCode(400);
            }
        }
    }

    @Test
    void basicUserInfoIsTheWalletsProfileDeterministicByNumberAndSettable() {
        String msisdn = "46733123805";
        Map<String, Object> first = momo.collection()
                .get("/collection/v1_0/accountholder/msisdn/" + msisdn + "/basicuserinfo").then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("given_name", notNullValue())
                .body("birthdate", notNullValue()).body("locale", notNullValue()).body("gender", notNullValue())
                .extract().jsonPath().getMap("$");
        assertThat(momo.disbursement().get("/disbursement/v1_0/accountholder/msisdn/" + msisdn + "/basicuserinfo")
                .then().statusCode(200).extract().jsonPath().getMap("$")).isEqualTo(first);
        gateway.anonymous().body(Map.of("kyc", Map.of("familyName", "Okello")))
                .put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(200);
        momo.collection().get("/collection/v1_0/accountholder/msisdn/" + msisdn + "/basicuserinfo").then()
                .statusCode(200).body("family_name", equalTo("Okello"))
                .body("given_name", equalTo(first.get("given_name")));
        gateway.anonymous().get("/sandbox/handsets/" + msisdn).then().statusCode(200)
                .body("kyc.familyName", equalTo("Okello"));
        gateway.anonymous().body(Map.of("kyc", Map.of("birthDate", "yesterday")))
                .put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(400);
        momo.collection().get("/collection/v1_0/accountholder/msisdn/260763000001/basicuserinfo").then()
                .statusCode(404).body("code", equalTo("RESOURCE_NOT_FOUND"));
        momo.keyOnly().header("X-Target-Environment", "sandbox")
                .get("/collection/v1_0/accountholder/msisdn/" + msisdn + "/basicuserinfo").then().statusCode(401);
    }
}
