package io.kulipa.dialects.momo;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MoMo pre-approvals over HTTP against a whole gateway: approved, rejected and expired on the
 * virtual handset, called back once, and a later request to pay that needs no prompt.
 */
class MomoPreApprovalTest {

    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_SANDBOX_APPROVAL_WINDOW", "2s"));
    static MomoClient momo;

    @BeforeAll
    static void provision() {
        momo = MomoClient.provision(gateway.get(), "127.0.0.1");
    }

    static String receiverUrl(String path) {
        return receiver.url(path);
    }

    static void manual(String msisdn) {
        gateway.anonymous().body(Map.of("approval", "manual")).put("/sandbox/handsets/" + msisdn + "/wallet")
                .then().statusCode(200);
    }

    static Map<String, Object> preApproval(String msisdn, long validitySeconds) {
        Map<String, Object> body = new HashMap<>();
        body.put("payer", MomoClient.msisdn(msisdn));
        body.put("payerCurrency", "EUR");
        body.put("payerMessage", "Monthly magazine");
        body.put("validityTime", validitySeconds);
        return body;
    }

    static Response ask(String version, String reference, Map<String, Object> body, String callbackUrl) {
        var spec = momo.collection().header("X-Reference-Id", reference);
        return (callbackUrl == null ? spec : spec.header("X-Callback-Url", callbackUrl)).body(body)
                .post("/collection/" + version + "/preapproval");
    }

    static String status(String reference) {
        return momo.collection().get("/collection/v1_0/preapproval/" + reference).then().statusCode(200)
                .extract().path("status");
    }

    static List<Map<String, Object>> prompts(String msisdn) {
        return gateway.anonymous().get("/sandbox/handsets/" + msisdn + "/prompts").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    static Map<String, Object> awaitPrompt(String msisdn) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> prompts(msisdn), l -> l.size() == 1).getFirst();
    }

    @Test
    void anApprovedPreApprovalIsCalledBackOnceAndLetsALaterRequestToPayThroughWithoutAPrompt() {
        String msisdn = "46733123701";
        manual(msisdn);
        String reference = UUID.randomUUID().toString();
        ask("v1_0", reference, preApproval(msisdn, 3600), receiverUrl("/momo/preapproval")).then()
                .statusCode(202).body(emptyString());
        momo.collection().get("/collection/v1_0/preapproval/" + reference).then().statusCode(200)
                .body("status", equalTo("PENDING")).body("payer.partyIdType", equalTo("MSISDN"))
                .body("payer.partyId", equalTo(msisdn)).body("payerCurrency", equalTo("EUR"))
                .body("payerMessage", equalTo("Monthly magazine")).body("expirationDateTime", notNullValue())
                .body("reason", nullValue());
        Map<String, Object> prompt = awaitPrompt(msisdn);
        assertThat(prompt.get("reference")).isEqualTo(reference);
        assertThat(prompt.get("kind")).isEqualTo("PREAPPROVAL");
        assertThat((String) prompt.get("message")).contains("EUR");
        gateway.anonymous().body(Map.of("pin", "1234"))
                .post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/approve").then().statusCode(200);
        assertThat(status(reference)).isEqualTo("SUCCESSFUL");
        String expiration = momo.collection().get("/collection/v2_0/preapproval/" + reference).then()
                .statusCode(200).extract().path("expirationDateTime");
        assertThat(Instant.parse(expiration)).isAfter(Instant.now().plusSeconds(3500));

        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.findAll(
                putRequestedFor(urlEqualTo("/momo/preapproval"))).isEmpty());
        receiver.verify(1, putRequestedFor(urlEqualTo("/momo/preapproval"))
                .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("SUCCESSFUL")))
                .withRequestBody(matchingJsonPath("$.payer.partyId", WireMock.equalTo(msisdn))));
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts(reference).size() == 1);
        assertThat(attempts(reference).getFirst().get("http_status")).isEqualTo(200);

        // With manual approval a request to pay would wait for the PIN; the pre-approval covers it.
        String payment = UUID.randomUUID().toString();
        momo.collection().header("X-Reference-Id", payment).body(MomoPaymentsTest.requestToPay("7", "EUR", msisdn))
                .post("/collection/v1_0/requesttopay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCESSFUL".equals(momo.collection()
                .get("/collection/v1_0/requesttopay/" + payment).then().extract().path("status")));
        assertThat(prompts(msisdn)).isEmpty();
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void aReusedReferenceIdIsAConflictAndNothingIsAskedTwice() {
        String msisdn = "46733123702";
        manual(msisdn);
        String reference = UUID.randomUUID().toString();
        ask("v1_0", reference, preApproval(msisdn, 600), null).then().statusCode(202);
        ask("v1_0", reference, preApproval(msisdn, 600), null).then().statusCode(409)
                .body("code", equalTo("RESOURCE_ALREADY_EXIST"));
        ask("v2_0", reference, Map.of("nonsense", true), null).then().statusCode(409);
        assertThat(awaitPrompt(msisdn).get("reference")).isEqualTo(reference);
    }

    @Test
    void aRejectedPreApprovalFailsAndIsCalledBackWithPostOnV2() {
        String msisdn = "46733123703";
        manual(msisdn);
        String reference = UUID.randomUUID().toString();
        ask("v2_0", reference, preApproval(msisdn, 600), receiverUrl("/momo/v2")).then().statusCode(202);
        awaitPrompt(msisdn);
        gateway.anonymous().post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/reject")
                .then().statusCode(200);
        momo.collection().get("/collection/v2_0/preapproval/" + reference).then().statusCode(200)
                .body("status", equalTo("FAILED")).body("reason", equalTo("APPROVAL_REJECTED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.findAll(
                postRequestedFor(urlEqualTo("/momo/v2"))).isEmpty());
        receiver.verify(1, postRequestedFor(urlEqualTo("/momo/v2"))
                .withRequestBody(matchingJsonPath("$.reason", WireMock.equalTo("APPROVAL_REJECTED"))));
        // A rejected pre-approval covers nothing: the next request to pay prompts as usual.
        String payment = UUID.randomUUID().toString();
        momo.collection().header("X-Reference-Id", payment).body(MomoPaymentsTest.requestToPay("3", "EUR", msisdn))
                .post("/collection/v1_0/requesttopay").then().statusCode(202);
        assertThat(awaitPrompt(msisdn).get("amount")).isEqualTo("3");
    }

    @Test
    void anUnansweredPreApprovalExpiresAndSoDoesAnUnansweredRequestToPay() {
        String msisdn = "46733123704";
        manual(msisdn);
        String reference = UUID.randomUUID().toString();
        ask("v1_0", reference, preApproval(msisdn, 600), null).then().statusCode(202);
        String payment = UUID.randomUUID().toString();
        momo.collection().header("X-Reference-Id", payment).body(MomoPaymentsTest.requestToPay("4", "EUR", msisdn))
                .post("/collection/v1_0/requesttopay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(status(reference)));
        momo.collection().get("/collection/v1_0/preapproval/" + reference).then().body("reason", equalTo("EXPIRED"));
        await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(momo.collection()
                .get("/collection/v1_0/requesttopay/" + payment).then().extract().path("status")));
        momo.collection().get("/collection/v1_0/requesttopay/" + payment).then().body("reason", equalTo("EXPIRED"));
        gateway.anonymous().post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/reject")
                .then().statusCode(404);
    }

    @Test
    void withAutomaticApprovalTheSimulatedCustomerApprovesByItself() {
        String reference = UUID.randomUUID().toString();
        ask("v1_0", reference, preApproval("46733123705", 600), null).then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCESSFUL".equals(status(reference)));
    }

    @Test
    void badRequestsAreRefusedInMomosWords() {
        String msisdn = "46733123706";
        ask("v1_0", UUID.randomUUID().toString(), preApproval(msisdn, 600), "http://evil.example.com/cb").then()
                .statusCode(400).body("code", equalTo("INVALID_CALLBACK_URL_HOST"));
        Map<String, Object> wrongCurrency = preApproval(msisdn, 600);
        wrongCurrency.put("payerCurrency", "UGX");
        ask("v1_0", UUID.randomUUID().toString(), wrongCurrency, null).then().statusCode(400)
                .body("code", equalTo("INVALID_CURRENCY"));
        ask("v1_0", UUID.randomUUID().toString(), preApproval(msisdn, 0), null).then().statusCode(400)
                .body("code", equalTo("BAD_REQUEST"));
        ask("v1_0", "not-a-uuid", preApproval(msisdn, 600), null).then().statusCode(400);
        momo.collection().get("/collection/v1_0/preapproval/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
        momo.keyOnly().header("X-Target-Environment", "sandbox").get("/collection/v1_0/preapproval/"
                + UUID.randomUUID()).then().statusCode(401);
    }

    private List<Map<String, Object>> attempts(String reference) {
        return gateway.jdbi().withHandle(h -> h.createQuery(
                        "SELECT http_status, error, method FROM callback_attempt "
                                + "WHERE subject_kind = 'momo-preapproval' AND subject_id = :r ORDER BY id")
                .bind("r", reference).mapToMap().list());
    }
}
