package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.kulipa.ledger.AccountRef;
import io.kulipa.ledger.Balance;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;
import io.kulipa.providers.Operation;
import io.kulipa.providers.simulator.Scenarios;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Payouts, bulk payouts and refunds end to end, with the ledger checked after each. */
class PayoutsAndRefundsTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_STATUS_CHECK_AFTER", "60s"));

    @AfterEach
    void ledgerStaysSound() {
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();
    }

    static Map<String, Object> payout(String correspondent, String currency, String msisdn, String amount) {
        return TestGateway.payout(correspondent, currency, msisdn, amount);
    }

    private BigDecimal available(String country, String currency) {
        return gateway.kulipa().ledger()
                .balance(AccountRef.merchantWallet(gateway.kulipa().demoMerchantId(), country, currency).code())
                .map(Balance::available).orElse(BigDecimal.ZERO);
    }

    private String status(String path, String id) {
        return gateway.merchant().get(path + id).then().statusCode(200).extract().path("[0].status");
    }

    @Test
    void everyPayoutTestNumberBehavesAsListedAndTheWalletFollows() {
        Catalog catalog = Catalog.loadDefault();
        List<Scenarios.Scenario> rows = Scenarios.loadDefault().all().stream()
                .filter(s -> s.operation() == Operation.PAYOUT).toList();
        assertThat(rows).hasSizeGreaterThan(100);
        Map<String, Scenarios.Scenario> byPayout = new HashMap<>();
        for (Scenarios.Scenario s : rows) {
            Correspondent c = catalog.correspondent(s.correspondent()).orElseThrow();
            String amount = c.limits(Operation.PAYOUT).orElseThrow().min().toPlainString();
            Map<String, Object> body = payout(c.id(), c.currency(), s.msisdn(), amount);
            gateway.merchant().body(body).post("/payouts").then().statusCode(200).body("status", equalTo("ACCEPTED"));
            byPayout.put((String) body.get("payoutId"), s);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (Map.Entry<String, Scenarios.Scenario> e : byPayout.entrySet()) {
                JsonPath p = gateway.merchant().get("/payouts/" + e.getKey()).then().extract().jsonPath();
                Scenarios.Scenario s = e.getValue();
                String label = s.correspondent() + " " + s.msisdn() + " " + s.outcome();
                switch (s.outcome()) {
                    case "COMPLETED" -> assertThat(p.getString("[0].status")).as(label).isEqualTo("COMPLETED");
                    case "NO_CALLBACK" -> assertThat(p.getString("[0].status")).as(label).isEqualTo("SUBMITTED");
                    default -> {
                        assertThat(p.getString("[0].status")).as(label).isEqualTo("FAILED");
                        assertThat(p.getString("[0].failureReason.failureCode")).as(label).isEqualTo(s.outcome());
                    }
                }
            }
        });
    }

    @Test
    void aCompletedPayoutDebitsTheWalletAndAFailedOneReleasesIt() {
        BigDecimal before = available("ZMB", "ZMW");
        Map<String, Object> ok = payout("MTN_MOMO_ZMB", "ZMW", "260763000111", "100.50");
        Map<String, Object> failing = payout("MTN_MOMO_ZMB", "ZMW", "260763456079", "40");
        gateway.merchant().body(ok).post("/payouts").then().body("status", equalTo("ACCEPTED"));
        gateway.merchant().body(failing).post("/payouts").then().body("status", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(status("/payouts/", (String) ok.get("payoutId")))
                && "FAILED".equals(status("/payouts/", (String) failing.get("payoutId"))));
        assertThat(available("ZMB", "ZMW")).isEqualByComparingTo(before.subtract(new BigDecimal("100.50")));
        gateway.merchant().get("/payouts/" + ok.get("payoutId")).then()
                .body("[0].amount", equalTo("100.50")).body("[0].recipient.address.value", equalTo("260763000111"))
                .body("[0].receivedByRecipient", org.hamcrest.Matchers.notNullValue());
        gateway.merchant().get("/payouts/" + failing.get("payoutId")).then()
                .body("[0].failureReason.failureCode", equalTo("RECIPIENT_NOT_FOUND"));
    }

    @Test
    void aPayoutLargerThanTheWalletFailsWithBalanceInsufficientAndReservesNothing() {
        BigDecimal before = available("UGA", "UGX");
        String amount = before.add(BigDecimal.ONE).toBigInteger().toString();
        Map<String, Object> big = payout("MTN_MOMO_UGA", "UGX", "256783000111", amount);
        gateway.merchant().body(big).post("/payouts").then().body("status", equalTo("ACCEPTED"));
        gateway.merchant().get("/payouts/" + big.get("payoutId")).then()
                .body("[0].status", equalTo("FAILED"))
                .body("[0].failureReason.failureCode", equalTo("BALANCE_INSUFFICIENT"));
        assertThat(available("UGA", "UGX")).isEqualByComparingTo(before);
    }

    @Test
    void aBulkRequestAnswersEachPayoutOnItsOwnAndRefusesMoreThanTwenty() {
        Map<String, Object> good = payout("MTN_MOMO_ZMB", "ZMW", "260763000112", "10");
        Map<String, Object> bad = payout("MTN_MOMO_ZMB", "ZMW", "260763000113", "10.555");
        List<Object> items = List.of(good, bad, good);
        JsonPath answer = gateway.merchant().body(items).post("/payouts/bulk").then().statusCode(200)
                .body("$", hasSize(3)).extract().jsonPath();
        assertThat(answer.getList("status")).containsExactly("ACCEPTED", "REJECTED", "DUPLICATE_IGNORED");
        assertThat(answer.getString("[1].rejectionReason.rejectionCode")).isEqualTo("INVALID_AMOUNT");

        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add(payout("MTN_MOMO_ZMB", "ZMW", "260763000114", "10"));
        }
        gateway.merchant().body(many).post("/payouts/bulk").then().statusCode(400)
                .body("rejectionReason.rejectionMessage", containsString("20"));
        gateway.merchant().body(Map.of("payoutId", "x")).post("/payouts/bulk").then().statusCode(400);
    }

    private String completedDeposit(String amount) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", "260763000200", amount);
        String id = (String) body.get("depositId");
        gateway.postDeposit(body).then().body("status", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(gateway.depositStatus(id)));
        return id;
    }

    @Test
    void partialRefundsAddUpToTheDepositAndNotBeyond() {
        String deposit = completedDeposit("100");
        String first = UUID.randomUUID().toString();
        gateway.merchant().body(Map.of("refundId", first, "depositId", deposit, "amount", "60")).post("/refunds")
                .then().body("status", equalTo("ACCEPTED"));
        gateway.merchant().body(Map.of("refundId", UUID.randomUUID().toString(), "depositId", deposit, "amount", "41"))
                .post("/refunds").then().body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo("AMOUNT_TOO_LARGE"))
                .body("rejectionReason.rejectionMessage", containsString("40"));
        String rest = UUID.randomUUID().toString();
        gateway.merchant().body(Map.of("refundId", rest, "depositId", deposit)).post("/refunds")
                .then().body("status", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(status("/refunds/", first))
                && "COMPLETED".equals(status("/refunds/", rest)));
        gateway.merchant().get("/refunds/" + rest).then().body("[0].amount", equalTo("40"))
                .body("[0].recipient.address.value", equalTo("260763000200"))
                .body("[0].correspondent", equalTo("MTN_MOMO_ZMB"));
        gateway.merchant().body(Map.of("refundId", UUID.randomUUID().toString(), "depositId", deposit))
                .post("/refunds").then().body("status", equalTo("REJECTED"));
    }

    @Test
    void concurrentRefundsOfOneDepositNeverExceedIt() throws Exception {
        String deposit = completedDeposit("100");
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> gateway.merchant().body(Map.of("refundId", UUID.randomUUID().toString(),
                    "depositId", deposit, "amount", "15")).post("/refunds").then().statusCode(200)
                    .extract().path("status"));
        }
        List<String> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<String> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses.stream().filter("ACCEPTED"::equals).count()).isEqualTo(6);
        BigDecimal refunded = gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT coalesce(sum(r.amount), 0) FROM payment r JOIN payment d ON d.id = r.related_payment_id
                        WHERE d.client_ref = :d AND r.state <> 'FAILED'""")
                .bind("d", deposit).mapTo(BigDecimal.class).one());
        assertThat(refunded).isEqualByComparingTo("90");
    }

    @Test
    void refundsOfUnknownOrUnfinishedDepositsAreRejected() {
        gateway.merchant().body(Map.of("refundId", UUID.randomUUID().toString(),
                "depositId", UUID.randomUUID().toString())).post("/refunds").then()
                .body("status", equalTo("REJECTED")).body("rejectionReason.rejectionMessage", containsString("depositId"));
        gateway.merchant().body(Map.of("refundId", "nope", "depositId", UUID.randomUUID().toString()))
                .post("/refunds").then().body("rejectionReason.rejectionMessage", containsString("refundId"));
    }

    @Test
    void failEnqueuedRefusesAPayoutThatIsNotEnqueued() {
        Map<String, Object> body = payout("MTN_MOMO_ZMB", "ZMW", "260763000115", "10");
        gateway.merchant().body(body).post("/payouts").then().body("status", equalTo("ACCEPTED"));
        gateway.merchant().post("/payouts/fail-enqueued/" + body.get("payoutId")).then().statusCode(200)
                .body("status", equalTo("REJECTED")).body("rejectionReason", containsString("ENQUEUED"));
        gateway.merchant().post("/payouts/fail-enqueued/" + UUID.randomUUID()).then()
                .body("status", equalTo("REJECTED"));
    }
}
