package io.kulipa.dialects.jenga;

import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.providers.simulator.SimAccount;
import io.kulipa.testing.CallbackReceiver;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The customer's side of a push on the virtual handset: an STK prompt offers the customer's
 * accounts (the wallet first, as the primary one) and debits the one chosen with the PIN; a USSD
 * prompt offers none and debits the primary account.
 */
@SuppressWarnings("unchecked")
class JengaHandsetAccountsTest {

    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.withSettings(JengaClient.SETTINGS);
    static JengaClient client;

    @BeforeAll
    static void start() {
        client = new JengaClient(gateway.get());
    }

    static String push(String msisdn, String amount, String type) {
        RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .body(Map.of("approval", "manual", "balance", "1000")).put("/sandbox/handsets/" + msisdn + "/wallet")
                .then().statusCode(200);
        String ref = JengaClient.ref();
        Map<String, Object> body = JengaClient.body(ref, msisdn, amount, CallbackReceiver.url(receiver, "/" + ref));
        ((Map<String, Object>) body.get("payment")).put("pushType", type);
        client.push(body).then().statusCode(200).body("code", equalTo(-1));
        return ref;
    }

    static JsonPath prompt(String msisdn) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !RestAssured.given().baseUri(gateway.baseUrl())
                .get("/sandbox/handsets/" + msisdn + "/prompts").jsonPath().getList("$").isEmpty());
        return RestAssured.given().baseUri(gateway.baseUrl()).get("/sandbox/handsets/" + msisdn + "/prompts").jsonPath();
    }

    static io.restassured.response.Response approve(String msisdn, String reference, Map<String, Object> body) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON).body(body)
                .post("/sandbox/handsets/" + msisdn + "/prompts/" + reference + "/approve");
    }

    static int code(String ref) {
        await().atMost(Duration.ofSeconds(15)).until(() -> client.status(ref).jsonPath().getInt("code") != 0);
        return client.status(ref).jsonPath().getInt("code");
    }

    static BigDecimal account(String msisdn, String number) {
        return gateway.kulipa().simulator().accounts(msisdn).stream().filter(a -> a.number().equals(number))
                .map(SimAccount::balance).findFirst().orElseThrow();
    }

    @Test
    void anStkPromptOffersTheCustomersAccountsAndDebitsTheChosenOne() {
        String msisdn = "254766100001";
        String ref = push(msisdn, "700", "STK");
        JsonPath prompt = prompt(msisdn);
        List<Map<String, Object>> accounts = prompt.getList("[0].accounts");
        assertThat(accounts).extracting(a -> a.get("number"))
                .containsExactly("primary", "076610000101", "076610000102");
        assertThat(accounts).extracting(a -> a.get("name"))
                .containsExactly("Primary account", "Equity Savings", "Equity Current");
        assertThat(prompt.getString("[0].message")).contains("Choose the account");
        String reference = prompt.getString("[0].reference");
        approve(msisdn, reference, Map.of("pin", "1234", "account", "nosuchaccount")).then().statusCode(400)
                .body("errorMessage", containsString("account"));
        approve(msisdn, reference, Map.of("pin", "1234", "account", "076610000101")).then().statusCode(200);
        assertThat(code(ref)).isEqualTo(3);
        assertThat(account(msisdn, "076610000101")).isEqualByComparingTo("49300");
        RestAssured.given().baseUri(gateway.baseUrl()).get("/sandbox/handsets/" + msisdn).then().statusCode(200)
                .body("accounts[0].number", equalTo("076610000101")).body("accounts[0].balance", equalTo("49300"));
        assertThat(gateway.kulipa().simulator().wallet(msisdn).orElseThrow().balance()).isEqualByComparingTo("1000");
    }

    @Test
    void anAccountThatCannotPayEndsInInsufficientFund() {
        String msisdn = "254766100002";
        String ref = push(msisdn, "3000", "STK");
        String reference = prompt(msisdn).getString("[0].reference");
        approve(msisdn, reference, Map.of("pin", "1234", "account", "076610000202")).then().statusCode(200);
        assertThat(code(ref)).isEqualTo(1);
        assertThat(client.status(ref).jsonPath().getString("message")).isEqualTo("InsufficientFund");
        assertThat(account(msisdn, "076610000202")).isEqualByComparingTo("2500");
    }

    @Test
    void aUssdPromptOffersNoChoiceAndDebitsThePrimaryAccount() {
        String msisdn = "254766100003";
        String ref = push(msisdn, "400", "USSD");
        JsonPath prompt = prompt(msisdn);
        assertThat(prompt.getList("[0].accounts")).isNull();
        String reference = prompt.getString("[0].reference");
        approve(msisdn, reference, Map.of("pin", "1234", "account", "076610000301")).then().statusCode(400);
        approve(msisdn, reference, Map.of("pin", "1234")).then().statusCode(200);
        assertThat(code(ref)).isEqualTo(3);
        assertThat(gateway.kulipa().simulator().wallet(msisdn).orElseThrow().balance()).isEqualByComparingTo("600");
    }
}
