package io.kulipa.dialects.jenga;

import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kulipa.ledger.Balance;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * The ledger of pushes: a completed push credits the merchant's KES wallet net of the charge its
 * callback reports; codes 2 and 4 hold the money in settlement suspense until ops settle it (the
 * wallet is credited, a final code-3 callback follows) or return it (to the customer); the
 * ledger's invariants hold throughout.
 */
class JengaSettlementTest {

    static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.withSettings(JengaClient.SETTINGS);
    static JengaClient client;
    static String wallet;

    @BeforeAll
    static void start() {
        client = new JengaClient(gateway.get());
        wallet = "wallet:" + gateway.kulipa().demoMerchantId() + ":KEN:KES";
    }

    static BigDecimal balance(String account) {
        return gateway.kulipa().ledger().balance(account).map(Balance::posted).orElse(BigDecimal.ZERO);
    }

    static String push(String msisdn, String amount) {
        String ref = JengaClient.ref();
        client.push(JengaClient.body(ref, msisdn, amount, CallbackReceiver.url(receiver, "/" + ref)))
                .then().statusCode(200).body("code", equalTo(-1));
        return ref;
    }

    /** The callbacks of a push so far, oldest first. */
    static List<JsonNode> callbacks(String ref) {
        return receiver.findAll(postRequestedFor(urlEqualTo("/" + ref))).stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toList());
    }

    static JsonNode awaitCallback(String ref, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> callbacks(ref).size() >= count);
        return callbacks(ref).get(count - 1);
    }

    static io.restassured.response.Response ops(String ref, String action) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN)
                .post("/ops/merchants/" + gateway.kulipa().demoMerchantId() + "/jenga/pushes/" + ref + "/" + action);
    }

    @Test
    void aCompletedPushCreditsTheWalletNetOfItsCharge() {
        BigDecimal before = balance(wallet);
        String ref = push("254765555001", "53000");
        JsonNode cb = awaitCallback(ref, 1);
        assertThat(cb.path("code").asInt()).isEqualTo(3);
        assertThat(cb.path("charge").decimalValue()).isEqualByComparingTo("53");
        await().atMost(Duration.ofSeconds(5)).until(() -> balance(wallet).subtract(before).compareTo(new BigDecimal("52947")) == 0);
        ops(ref, "settle").then().statusCode(409).body("errorMessage", containsString("suspense"));
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();
    }

    @Test
    void code2WaitsInSuspenseUntilOpsSettleItThenCode3Follows() {
        BigDecimal before = balance(wallet);
        BigDecimal suspenseBefore = balance("suspense:EQUITEL_KEN:KES");
        String ref = push("254764000004", "100");
        JsonNode first = awaitCallback(ref, 1);
        assertThat(first.path("code").asInt()).isEqualTo(2);
        assertThat(balance(wallet)).isEqualByComparingTo(before);
        assertThat(balance("suspense:EQUITEL_KEN:KES").subtract(suspenseBefore)).isEqualByComparingTo("100");
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();

        ops(ref, "settle").then().statusCode(200).body("decision", equalTo("SETTLED"));
        JsonNode last = awaitCallback(ref, 2);
        assertThat(last.path("code").asInt()).isEqualTo(3);
        assertThat(last.path("status").asBoolean()).isTrue();
        assertThat(last.path("message").asText()).isEqualTo("Successful");
        assertThat(balance(wallet).subtract(before)).isEqualByComparingTo("99");
        assertThat(balance("suspense:EQUITEL_KEN:KES")).isEqualByComparingTo(suspenseBefore);
        client.status(ref).then().body("code", equalTo(3));
        ops(ref, "settle").then().statusCode(409);
        ops(ref, "return").then().statusCode(409);
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();
    }

    @Test
    void code4ReturnedByOpsGivesTheMoneyBackToTheCustomer() {
        String msisdn = "254764000006";
        BigDecimal before = balance(wallet);
        String ref = push(msisdn, "250");
        assertThat(awaitCallback(ref, 1).path("code").asInt()).isEqualTo(4);
        BigDecimal customer = gateway.kulipa().simulator().wallet(msisdn).orElseThrow().balance();
        ops(ref, "return").then().statusCode(200).body("decision", equalTo("RETURNED"));
        JsonNode last = awaitCallback(ref, 2);
        assertThat(last.path("code").asInt()).isEqualTo(1);
        assertThat(last.path("status").asBoolean()).isFalse();
        assertThat(balance(wallet)).isEqualByComparingTo(before);
        assertThat(gateway.kulipa().simulator().wallet(msisdn).orElseThrow().balance().subtract(customer))
                .isEqualByComparingTo("250");
        ops("NOSUCHREF9", "settle").then().statusCode(404);
        RestAssured.given().baseUri(gateway.baseUrl())
                .post("/ops/merchants/" + gateway.kulipa().demoMerchantId() + "/jenga/pushes/" + ref + "/settle")
                .then().statusCode(401);
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();
    }
}
