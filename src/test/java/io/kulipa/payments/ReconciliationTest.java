package io.kulipa.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Payments whose operator outcome does not arrive by callback are resolved by asking the
 * operator: a lost callback, an operator outage during the submit, and the "no callback"
 * test numbers, which keep their documented behaviour.
 */
class ReconciliationTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_STATUS_CHECK_AFTER", "1s",
                    "KULIPA_BOOTSTRAP_CALLBACK_URL", "http://127.0.0.1:1/nowhere"));

    @AfterEach
    void knobsOff() {
        gateway.anonymous().body(Map.of("outage", false, "loseCallbacks", false))
                .put("/sandbox/operators/AIRTEL_OAPI_ZMB").then().statusCode(200);
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();
    }

    private List<String> history(String clientRef) {
        return gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT e.event FROM payment_event e JOIN payment p ON p.id = e.payment_id
                        WHERE p.client_ref = :r ORDER BY e.id""").bind("r", clientRef).mapTo(String.class).list());
    }

    private static Map<String, Object> payout(String msisdn, String amount) {
        return TestGateway.payout("AIRTEL_OAPI_ZMB", "ZMW", msisdn, amount);
    }

    @Test
    void anOperatorThatLosesItsCallbacksIsReconciledByStatusChecks() {
        gateway.anonymous().body(Map.of("loseCallbacks", true)).put("/sandbox/operators/AIRTEL_OAPI_ZMB")
                .then().statusCode(200).body("loseCallbacks", equalTo(true));
        Map<String, Object> deposit = TestGateway.deposit("AIRTEL_OAPI_ZMB", "ZMW", "260973000001", "30");
        Map<String, Object> payout = payout("260973000002", "20");
        gateway.postDeposit(deposit).then().body("status", equalTo("ACCEPTED"));
        gateway.merchant().body(payout).post("/payouts").then().body("status", equalTo("ACCEPTED"));
        String depositId = (String) deposit.get("depositId");
        String payoutId = (String) payout.get("payoutId");

        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(gateway.depositStatus(depositId)));
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(gateway.merchant()
                .get("/payouts/" + payoutId).then().extract().path("[0].status")));
        // The operator finished both without calling back; the status check found out.
        long simCallbacksSuppressed = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM sim_transaction WHERE send_callback = false").mapTo(Long.class).one());
        assertThat(simCallbacksSuppressed).isGreaterThanOrEqualTo(2);
        assertThat(history(depositId)).contains("OPERATOR_COMPLETED");
        // The merchant's webhook was attempted after reconciliation too.
        long attempts = gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM callback_attempt a JOIN payment p ON p.id = a.payment_id
                        WHERE p.client_ref IN (:d, :p)""").bind("d", depositId).bind("p", payoutId)
                .mapTo(Long.class).one());
        assertThat(attempts).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aSubmitDuringAnOutageIsInDoubtThenResubmittedWhenTheOperatorNeverGotIt() {
        gateway.anonymous().body(Map.of("outage", true)).put("/sandbox/operators/AIRTEL_OAPI_ZMB")
                .then().statusCode(200);
        Map<String, Object> deposit = TestGateway.deposit("AIRTEL_OAPI_ZMB", "ZMW", "260973000003", "30");
        String id = (String) deposit.get("depositId");
        gateway.postDeposit(deposit).then().body("status", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> history(id).stream()
                .anyMatch(e -> e.startsWith("SUBMIT_OUTCOME_UNKNOWN")));
        assertThat(gateway.depositStatus(id)).isEqualTo("SUBMITTED");

        gateway.anonymous().body(Map.of("outage", false)).put("/sandbox/operators/AIRTEL_OAPI_ZMB")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(gateway.depositStatus(id)));
        assertThat(history(id)).contains("RESUBMIT_NOT_FOUND_AT_OPERATOR");
        long simRows = gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM sim_transaction s JOIN payment p ON p.id::text = s.reference
                        WHERE p.client_ref = :r""").bind("r", id).mapTo(Long.class).one());
        assertThat(simRows).isEqualTo(1);
    }

    @Test
    void aNoCallbackTestNumberStaysSubmittedWhileTheOperatorSaysPending() {
        Map<String, Object> deposit = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", "260763456129", "10");
        String id = (String) deposit.get("depositId");
        gateway.postDeposit(deposit).then().body("status", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(15)).until(() -> gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT o.attempts FROM outbox o JOIN payment p ON p.id = o.payment_id
                        WHERE p.client_ref = :r AND o.kind = 'CHECK'""").bind("r", id).mapTo(Integer.class)
                .findOne().orElse(0)) >= 2);
        assertThat(gateway.depositStatus(id)).isEqualTo("SUBMITTED");
    }

    @Test
    void theCheckScheduleBacksOffAndIsBounded() {
        ReconciliationPolicy policy = new ReconciliationPolicy(Duration.ofSeconds(90), Duration.ofSeconds(10),
                Duration.ofMinutes(30), 12);
        assertThat(policy.nextInterval(0)).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy.nextInterval(1)).isEqualTo(Duration.ofSeconds(180));
        assertThat(policy.nextInterval(3)).isEqualTo(Duration.ofSeconds(720));
        assertThat(policy.nextInterval(10)).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.nextInterval(60)).isEqualTo(Duration.ofMinutes(30));
    }
}
