package io.kulipa.callbacks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Deposit Status Callback reaches a real HTTP receiver, with retries, records and resends. */
class DepositWebhookTest {

    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.stubbedByEachTest();
    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.withSettings(() -> Map.of(
            "KULIPA_BOOTSTRAP_CALLBACK_URL", "http://127.0.0.1:" + receiver.port() + "/callbacks",
            "KULIPA_CALLBACK_FIRST_RETRY", "200ms",
            "KULIPA_CALLBACK_RETRY_WINDOW", "3s"));

    private List<Map<String, Object>> attempts(String depositId) {
        return gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT a.outbox_id, a.http_status, a.error, a.url FROM callback_attempt a
                        JOIN payment p ON p.id = a.payment_id WHERE p.client_ref = :r ORDER BY a.id""")
                .bind("r", depositId).mapToMap().list());
    }

    @Test
    void aReceiverThatFailsThenSucceedsGetsTheCallbackAndEveryAttemptIsRecorded() {
        receiver.stubFor(post("/callbacks").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("second"));
        receiver.stubFor(post("/callbacks").inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        receiver.stubFor(post("/callbacks").inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(200)).willSetStateTo("done"));
        Map<String, Object> body = TestGateway.deposit();
        String id = (String) body.get("depositId");
        gateway.postDeposit(body).then().statusCode(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> attempts(id).size() >= 3
                && Integer.valueOf(200).equals(attempts(id).getLast().get("http_status")));
        List<Map<String, Object>> attempts = attempts(id);
        assertThat(attempts).extracting(a -> a.get("http_status")).containsExactly(500, 503, 200);
        receiver.verify(3, postRequestedFor(urlEqualTo("/callbacks"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.depositId", equalTo(id)))
                .withRequestBody(matchingJsonPath("$.status", equalTo("COMPLETED")))
                .withRequestBody(matchingJsonPath("$.depositedAmount", equalTo("15")))
                .withRequestBody(matchingJsonPath("$.payer.address.value", equalTo("260763000001"))));
        // Delivered: a resend is refused, and nothing more is sent.
        gateway.merchant().body(Map.of("depositId", id)).post("/deposits/resend-callback").then()
                .body("status", org.hamcrest.Matchers.equalTo("REJECTED"));
    }

    @Test
    void aFailedDepositsCallbackCarriesItsFailureReason() {
        receiver.stubFor(post("/callbacks").willReturn(aResponse().withStatus(200)));
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", "260763456029", "10");
        String id = (String) body.get("depositId");
        gateway.postDeposit(body).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> receiver.verify(1,
                postRequestedFor(urlEqualTo("/callbacks"))
                        .withRequestBody(matchingJsonPath("$.depositId", equalTo(id)))
                        .withRequestBody(matchingJsonPath("$.status", equalTo("FAILED")))
                        .withRequestBody(matchingJsonPath("$.failureReason.failureCode", equalTo("PAYER_NOT_FOUND")))));
    }

    @Test
    void afterTheRetryWindowTheDeliveryFailsAndAResendDeliversIt() {
        receiver.stubFor(post("/callbacks").willReturn(aResponse().withStatus(500)));
        Map<String, Object> body = TestGateway.deposit();
        String id = (String) body.get("depositId");
        gateway.postDeposit(body).then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(lastWebhookJobState(id)));
        int failedAttempts = attempts(id).size();
        assertThat(failedAttempts).isGreaterThan(1);

        receiver.resetAll();
        receiver.stubFor(post("/callbacks").willReturn(aResponse().withStatus(200)));
        gateway.merchant().body(Map.of("depositId", id)).post("/deposits/resend-callback").then()
                .statusCode(200).body("depositId", org.hamcrest.Matchers.equalTo(id))
                .body("status", org.hamcrest.Matchers.equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> receiver.verify(1,
                postRequestedFor(urlEqualTo("/callbacks")).withRequestBody(matchingJsonPath("$.depositId", equalTo(id)))));
        await().atMost(Duration.ofSeconds(5)).until(() -> "DONE".equals(lastWebhookJobState(id)));
        assertThat(attempts(id)).hasSize(failedAttempts + 1);
    }

    @Test
    void resendIsRefusedForADepositThatIsNotFinalOrNotKnown() {
        Map<String, Object> stuck = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", "260763456129", "10");
        gateway.postDeposit(stuck).then().statusCode(200);
        gateway.merchant().body(Map.of("depositId", stuck.get("depositId"))).post("/deposits/resend-callback").then()
                .statusCode(200).body("status", org.hamcrest.Matchers.equalTo("REJECTED"))
                .body("rejectionReason", org.hamcrest.Matchers.containsString("final"));
        gateway.merchant().body(Map.of("depositId", java.util.UUID.randomUUID().toString()))
                .post("/deposits/resend-callback").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("REJECTED"));
        gateway.merchant().body("{").post("/deposits/resend-callback").then().statusCode(400);
    }

    private String lastWebhookJobState(String depositId) {
        return gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT o.state FROM outbox o JOIN payment p ON p.id = o.payment_id
                        WHERE p.client_ref = :r AND o.kind = 'WEBHOOK' ORDER BY o.id DESC LIMIT 1""")
                .bind("r", depositId).mapTo(String.class).findOne().orElse(null));
    }
}
