package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DepositFlowTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    @Test
    void anOrdinaryNumberCompletesAndShowsEveryField() {
        Map<String, Object> body = TestGateway.deposit();
        body.put("metadata", java.util.List.of(Map.of("fieldName", "orderId", "fieldValue", "ORD-1"),
                Map.of("fieldName", "customerId", "fieldValue", "c@example.com", "isPII", true)));
        String id = (String) body.get("depositId");
        gateway.postDeposit(body).then().statusCode(200)
                .body("depositId", equalTo(id)).body("status", equalTo("ACCEPTED"));

        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(gateway.depositStatus(id)));
        gateway.merchant().get("/deposits/" + id).then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].requestedAmount", equalTo("15"))
                .body("[0].depositedAmount", equalTo("15"))
                .body("[0].currency", equalTo("ZMW"))
                .body("[0].country", equalTo("ZMB"))
                .body("[0].correspondent", equalTo("MTN_MOMO_ZMB"))
                .body("[0].payer.address.value", equalTo("260763000001"))
                .body("[0].statementDescription", equalTo("Note of 4 to 22 chars"))
                .body("[0].metadata.orderId", equalTo("ORD-1"))
                .body("[0].metadata.customerId", equalTo("c@example.com"));
        String responded = gateway.merchant().get("/deposits/" + id).then().extract().path("[0].respondedByPayer");
        assertThat(responded).isNotBlank();
    }

    @Test
    void theMomoSandboxCorrespondentIsNotOneOfPawapays() {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_SANDBOX", "EUR", "46733123499", "15");
        gateway.postDeposit(body).then().statusCode(200).body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo("PARAMETER_INVALID"))
                .body("rejectionReason.rejectionMessage", org.hamcrest.Matchers.containsString("correspondent"));
    }

    @Test
    void anUnknownIdAnswersAnEmptyList() {
        gateway.merchant().get("/deposits/" + java.util.UUID.randomUUID()).then().statusCode(200).body("$", hasSize(0));
    }
}
