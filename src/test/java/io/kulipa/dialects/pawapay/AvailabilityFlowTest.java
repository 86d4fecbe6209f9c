package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.Balance;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Availability end to end: closed correspondents, enqueued payouts, and the outage monitor. */
class AvailabilityFlowTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_STATUS_CHECK_AFTER", "1s"));

    @AfterEach
    void reset() {
        for (String op : List.of("DEPOSIT", "PAYOUT")) {
            Map<String, Object> clear = new HashMap<>();
            clear.put("status", null);
            gateway.as(TestGateway.ADMIN_TOKEN).body(clear).put("/ops/availability/TNM_MWI/" + op)
                    .then().statusCode(200);
        }
        gateway.anonymous().body(Map.of("outage", false)).put("/sandbox/operators/TNM_MWI").then().statusCode(200);
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();
    }

    private static Map<String, Object> payout(String msisdn, String amount) {
        return TestGateway.payout("TNM_MWI", "MWK", msisdn, amount);
    }

    private String statusOf(String path) {
        return gateway.merchant().get(path).then().extract().path("[0].status");
    }

    private BigDecimal reserved() {
        return gateway.kulipa().ledger().balance(AccountRef.merchantWallet(gateway.kulipa().demoMerchantId(),
                "MWI", "MWK").code()).map(Balance::reserved).orElse(BigDecimal.ZERO);
    }

    private String availability(String correspondent, String operation) {
        JsonPath all = gateway.anonymous().get("/availability").then().statusCode(200).extract().jsonPath();
        return all.getString("find { it.country == 'MWI' }.correspondents.find { it.correspondent == '"
                + correspondent + "' }.operationTypes.find { it.operationType == '" + operation + "' }.status");
    }

    @Test
    void aDelayedCorrespondentEnqueuesPayoutsWithFundsReservedAndReleasesThem() {
        gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("status", "DELAYED")).put("/ops/availability/TNM_MWI/PAYOUT")
                .then().statusCode(200);
        assertThat(availability("TNM_MWI", "PAYOUT")).isEqualTo("DELAYED");
        BigDecimal reservedBefore = reserved();
        Map<String, Object> kept = payout("265883000001", "500");
        Map<String, Object> cancelled = payout("265883000002", "700");
        gateway.merchant().body(kept).post("/payouts").then().body("status", equalTo("ENQUEUED"));
        gateway.merchant().body(cancelled).post("/payouts").then().body("status", equalTo("ENQUEUED"));
        assertThat(statusOf("/payouts/" + kept.get("payoutId"))).isEqualTo("ENQUEUED");
        assertThat(reserved()).isEqualByComparingTo(reservedBefore.add(new BigDecimal("1200")));

        gateway.merchant().post("/payouts/fail-enqueued/" + cancelled.get("payoutId")).then()
                .body("status", equalTo("ACCEPTED"));
        gateway.merchant().get("/payouts/" + cancelled.get("payoutId")).then()
                .body("[0].status", equalTo("FAILED"))
                .body("[0].failureReason.failureCode", equalTo("MANUALLY_CANCELLED"));
        assertThat(reserved()).isEqualByComparingTo(reservedBefore.add(new BigDecimal("500")));
        gateway.merchant().post("/payouts/fail-enqueued/" + cancelled.get("payoutId")).then()
                .body("status", equalTo("REJECTED"));

        Map<String, Object> clear = new HashMap<>();
        clear.put("status", null);
        gateway.as(TestGateway.ADMIN_TOKEN).body(clear).put("/ops/availability/TNM_MWI/PAYOUT").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> "COMPLETED".equals(statusOf("/payouts/" + kept.get("payoutId"))));
        assertThat(reserved()).isEqualByComparingTo(reservedBefore);
    }

    @Test
    void opsSwitchACardCorrespondentWhichPawapaysAvailabilityDoesNotList() {
        io.kulipa.providers.AvailabilityBoard board = gateway.kulipa().core().availability();
        try {
            gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("status", "CLOSED")).put("/ops/availability/CARD_ZAF/DEPOSIT")
                    .then().statusCode(200).body("status", equalTo("CLOSED"));
            // What every dialect's payment request is checked against.
            assertThat(board.status("CARD_ZAF", io.kulipa.providers.Operation.DEPOSIT))
                    .isEqualTo(io.kulipa.providers.Availability.Status.CLOSED);
            assertThat(board.status("CARD_ZAF", io.kulipa.providers.Operation.REFUND))
                    .isEqualTo(io.kulipa.providers.Availability.Status.OPERATIONAL);
            List<String> listed = gateway.anonymous().get("/availability").then().statusCode(200).extract()
                    .jsonPath().getList("correspondents.flatten().correspondent", String.class);
            assertThat(listed).contains("TNM_MWI", "MTN_MOMO_ZMB").doesNotContain("CARD_ZAF");
            gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("status", "CLOSED")).put("/ops/availability/NO_SUCH/DEPOSIT")
                    .then().statusCode(400);
        } finally {
            Map<String, Object> clear = new HashMap<>();
            clear.put("status", null);
            gateway.as(TestGateway.ADMIN_TOKEN).body(clear).put("/ops/availability/CARD_ZAF/DEPOSIT").then().statusCode(200);
        }
        assertThat(board.status("CARD_ZAF", io.kulipa.providers.Operation.DEPOSIT))
                .isEqualTo(io.kulipa.providers.Availability.Status.OPERATIONAL);
    }

    @Test
    void aClosedCorrespondentRejectsNewDeposits() {
        gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("status", "CLOSED")).put("/ops/availability/TNM_MWI/DEPOSIT")
                .then().statusCode(200);
        gateway.postDeposit(TestGateway.deposit("TNM_MWI", "MWK", "265883000003", "100")).then()
                .body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo("CORRESPONDENT_TEMPORARILY_UNAVAILABLE"));
    }

    @Test
    void theMonitorDegradesAnOperatorInOutageAndRestoresItWhenItRecovers() {
        gateway.anonymous().body(Map.of("outage", true)).put("/sandbox/operators/TNM_MWI").then().statusCode(200);
        Set<String> deposits = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Map<String, Object> body = TestGateway.deposit("TNM_MWI", "MWK", "26588300010" + i, "100");
            String status = gateway.postDeposit(body).then().statusCode(200).extract().path("status");
            if ("ACCEPTED".equals(status)) {
                deposits.add((String) body.get("depositId"));
            }
        }
        // Once five submits have failed the monitor may close deposits before the sixth arrives.
        assertThat(deposits).hasSizeGreaterThanOrEqualTo(5);
        await().atMost(Duration.ofSeconds(15)).until(() -> "CLOSED".equals(availability("TNM_MWI", "DEPOSIT")));
        assertThat(availability("TNM_MWI", "PAYOUT")).isEqualTo("DELAYED");
        gateway.postDeposit(TestGateway.deposit("TNM_MWI", "MWK", "265883000200", "100")).then()
                .body("rejectionReason.rejectionCode", equalTo("CORRESPONDENT_TEMPORARILY_UNAVAILABLE"));
        Map<String, Object> queued = payout("265883000201", "100");
        gateway.merchant().body(queued).post("/payouts").then().body("status", equalTo("ENQUEUED"));

        gateway.anonymous().body(Map.of("outage", false)).put("/sandbox/operators/TNM_MWI").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> "OPERATIONAL".equals(availability("TNM_MWI", "DEPOSIT")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(statusOf("/payouts/" + queued.get("payoutId"))));
        // The deposits sent during the outage were in doubt; the operator never got them, so
        // they were sent again and completed.
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            for (String id : deposits) {
                assertThat(gateway.depositStatus(id)).as(id).isEqualTo("COMPLETED");
            }
        });
    }
}
