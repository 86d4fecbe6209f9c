package io.kulipa.web.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The virtual handsets: prompts wait for the customer with manual approval, PINs, SMS, wallets. */
class HandsetTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_SANDBOX_APPROVAL", "manual",
                    "KULIPA_SANDBOX_APPROVAL_WINDOW", "4s"));

    private List<Map<String, Object>> prompts(String msisdn) {
        return gateway.anonymous().get("/sandbox/handsets/" + msisdn + "/prompts").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    /** Waits for the handset's single prompt and returns its reference. */
    private String awaitPrompt(String msisdn) {
        return (String) await().atMost(Duration.ofSeconds(5)).until(() -> prompts(msisdn), l -> l.size() == 1)
                .getFirst().get("reference");
    }

    private String deposit(String msisdn, String amount) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", msisdn, amount);
        gateway.postDeposit(body).then().body("status", equalTo("ACCEPTED"));
        return (String) body.get("depositId");
    }

    @Test
    void aPromptWaitsForThePinAndTheReceiptArrivesBySms() {
        String msisdn = "260763100001";
        String id = deposit(msisdn, "25.50");
        Map<String, Object> prompt = await().atMost(Duration.ofSeconds(5))
                .until(() -> prompts(msisdn), l -> l.size() == 1).getFirst();
        assertThat(gateway.depositStatus(id)).isEqualTo("SUBMITTED");
        assertThat(prompt.get("amount")).isEqualTo("25.5");
        assertThat((String) prompt.get("message")).contains("25.5 ZMW");

        String reference = (String) prompt.get("reference");
        gateway.anonymous().body(Map.of("pin", "9999"))
                .post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/approve")
                .then().statusCode(403).body("errorMessage", containsString("Wrong PIN"));
        assertThat(prompts(msisdn)).hasSize(1);
        gateway.anonymous().body(Map.of("pin", "1234"))
                .post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/approve")
                .then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(gateway.depositStatus(id)));
        gateway.anonymous().get("/sandbox/handsets/" + msisdn).then().statusCode(200)
                .body("wallet.balance", equalTo("999974.5"))
                .body("prompts", hasSize(0))
                .body("sms", hasSize(1))
                .body("sms[0].text", containsString("You have paid 25.5 ZMW"));
    }

    @Test
    void aRejectedPromptFailsTheDepositAsNotApproved() {
        String msisdn = "260763100002";
        String id = deposit(msisdn, "10");
        String reference = awaitPrompt(msisdn);
        gateway.anonymous().post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/reject")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "FAILED".equals(gateway.depositStatus(id)));
        gateway.merchant().get("/deposits/" + id).then()
                .body("[0].failureReason.failureCode", equalTo("PAYMENT_NOT_APPROVED"));
        gateway.anonymous().post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/reject")
                .then().statusCode(404);
    }

    @Test
    void threeWrongPinsFailTheDeposit() {
        String msisdn = "260763100003";
        String id = deposit(msisdn, "10");
        String path = "/sandbox/handsets/" + msisdn + "/prompts/" + awaitPrompt(msisdn) + "/approve";
        gateway.anonymous().body(Map.of("pin", "0000")).post(path).then().statusCode(403);
        gateway.anonymous().body(Map.of("pin", "0001")).post(path).then().statusCode(403);
        gateway.anonymous().body(Map.of("pin", "0002")).post(path).then().statusCode(403)
                .body("errorMessage", containsString("too many"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "FAILED".equals(gateway.depositStatus(id)));
    }

    @Test
    void anUnansweredPromptExpiresAsNotApproved() {
        String id = deposit("260763100004", "10");
        await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(gateway.depositStatus(id)));
        gateway.merchant().get("/deposits/" + id).then()
                .body("[0].failureReason.failureCode", equalTo("PAYMENT_NOT_APPROVED"));
    }

    @Test
    void aWalletThatCannotPayFailsWithInsufficientBalance() {
        String msisdn = "260763100005";
        gateway.anonymous().body(Map.of("balance", "20", "approval", "auto"))
                .put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(200)
                .body("wallet.balance", equalTo("20")).body("wallet.currency", equalTo("ZMW"));
        String id = deposit(msisdn, "50");
        await().atMost(Duration.ofSeconds(5)).until(() -> "FAILED".equals(gateway.depositStatus(id)));
        gateway.merchant().get("/deposits/" + id).then()
                .body("[0].failureReason.failureCode", equalTo("INSUFFICIENT_BALANCE"));
        String paid = deposit(msisdn, "20");
        await().atMost(Duration.ofSeconds(5)).until(() -> "COMPLETED".equals(gateway.depositStatus(paid)));
        gateway.anonymous().get("/sandbox/handsets/" + msisdn).then().body("wallet.balance", equalTo("0"));
    }

    @Test
    void badHandsetInputIsRefusedWithTheFieldName() {
        gateway.anonymous().get("/sandbox/handsets/+260763100006").then().statusCode(400)
                .body("errorMessage", containsString("msisdn"));
        gateway.anonymous().body(Map.of("balance", "-5")).put("/sandbox/handsets/260763100006/wallet")
                .then().statusCode(400).body("errorMessage", containsString("balance"));
        gateway.anonymous().body(Map.of("approval", "sometimes")).put("/sandbox/handsets/260763100006/wallet")
                .then().statusCode(400).body("errorMessage", containsString("approval"));
    }
}
