package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;
import io.kulipa.providers.Operation;
import io.kulipa.providers.simulator.Scenarios;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every deposit test number of the spec, end to end over HTTP: each one is accepted, and
 * ends COMPLETED, FAILED with its listed failure code, or stays SUBMITTED with no callback.
 */
class DepositTestNumbersTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_STATUS_CHECK_AFTER", "60s"));

    @Test
    void everyDepositTestNumberBehavesAsTheSpecLists() {
        Catalog catalog = Catalog.loadDefault();
        List<Scenarios.Scenario> rows = Scenarios.loadDefault().all().stream()
                .filter(s -> s.operation() == Operation.DEPOSIT).toList();
        assertThat(rows).hasSizeGreaterThan(100);
        Map<String, Scenarios.Scenario> byDeposit = new HashMap<>();
        for (Scenarios.Scenario s : rows) {
            Correspondent c = catalog.correspondent(s.correspondent()).orElseThrow();
            String amount = c.limits(Operation.DEPOSIT).orElseThrow().min().toPlainString();
            Map<String, Object> body = TestGateway.deposit(c.id(), c.currency(), s.msisdn(), amount);
            String status = gateway.postDeposit(body).then().statusCode(200).extract().path("status");
            assertThat(status).as("%s %s", c.id(), s.msisdn()).isEqualTo("ACCEPTED");
            byDeposit.put((String) body.get("depositId"), s);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (Map.Entry<String, Scenarios.Scenario> e : byDeposit.entrySet()) {
                JsonPath deposit = gateway.merchant().get("/deposits/" + e.getKey()).then().statusCode(200)
                        .extract().jsonPath();
                Scenarios.Scenario s = e.getValue();
                String label = s.correspondent() + " " + s.msisdn() + " " + s.outcome();
                switch (s.outcome()) {
                    case "COMPLETED" -> {
                        assertThat(deposit.getString("[0].status")).as(label).isEqualTo("COMPLETED");
                        assertThat(deposit.getString("[0].depositedAmount")).as(label).isNotNull();
                    }
                    case "NO_CALLBACK" -> assertThat(deposit.getString("[0].status")).as(label).isEqualTo("SUBMITTED");
                    default -> {
                        assertThat(deposit.getString("[0].status")).as(label).isEqualTo("FAILED");
                        assertThat(deposit.getString("[0].failureReason.failureCode")).as(label).isEqualTo(s.outcome());
                        assertThat(deposit.getString("[0].failureReason.failureMessage")).as(label).isNotBlank();
                    }
                }
            }
        });
    }
}
