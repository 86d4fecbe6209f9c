package io.kulipa.web.sandbox.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kulipa.dialects.scantopay.ScantopayDialect;
import io.kulipa.dialects.scantopay.notifications.NotificationCipher;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in demo USSD application end to end over HTTP, as a customer and a merchant see it:
 * dialled through the sandbox USSD API, its menu calls the gateway's public WIG API with the demo
 * merchant's credentials; the card PIN is answered on the handset; the merchant's encrypted
 * notification reaches a receiver of the test's own; the payment is a success and the ledger
 * balances. The same for airtime and for the balance, and a form posted to the demo by anyone
 * but the gateway is refused.
 */
class DemoUssdEndToEndTest {

    static final String PIN = "482916";
    static final ObjectMapper JSON = new ObjectMapper();
    static TestGateway gateway;
    static WireMockServer receiver;
    static ScantopayDialect dialect;

    @BeforeAll
    static void start() {
        receiver = CallbackReceiver.start();
        gateway = TestGateway.start(Map.of("KULIPA_SANDBOX_APPROVAL_WINDOW", "60s"));
        dialect = gateway.kulipa().dialect(ScantopayDialect.class);
        // The merchant's notification URL, set as an operator sets it.
        gateway.as(TestGateway.ADMIN_TOKEN).body(Map.of("url", CallbackReceiver.url(receiver, "/stp")))
                .put("/ops/scantopay/merchants/" + gateway.kulipa().demoMerchantId() + "/notification")
                .then().statusCode(200);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        receiver.stop();
    }

    @Test
    void theDemoIsRegisteredOnItsCodeAtStart() {
        List<Map<String, Object>> apps = gateway.as(TestGateway.ADMIN_TOKEN).get("/ops/ussd/applications")
                .then().statusCode(200).extract().path("applications");
        assertThat(apps).filteredOn(a -> DemoUssd.SERVICE_CODE.equals(a.get("serviceCode"))).singleElement()
                .satisfies(a -> {
                    assertThat(a.get("callbackUrl")).isEqualTo(gateway.baseUrl() + DemoUssd.PATH);
                    assertThat(a.get("name")).isEqualTo(DemoUssd.NAME);
                    assertThat(a.get("merchantId")).isEqualTo(gateway.kulipa().demoMerchantId().toString());
                });
    }

    @Test
    void aCodeIsPaidWithTheChosenCardFromDialToTheMerchantsNotification() throws Exception {
        String msisdn = "27835550201";
        customer(msisdn, "4000000000000101", "300.00", "5200000000000106", "800.00");
        String code = wig().body(Map.of("amount", new BigDecimal("42.50"), "merchantReference", "ussd-order-1",
                        "useOnce", true, "shortDescription", "Order 1"))
                .post("/pluto/code/create").then().statusCode(200).extract().path("code");

        JsonPath s = dial(msisdn);
        assertThat(s.getString("screen")).contains("1. Pay a code", "2. Buy airtime", "3. Check balance");
        String id = s.getString("sessionId");
        assertThat(input(id, "1").getString("screen")).contains("10-digit");
        JsonPath cards = input(id, code);
        assertThat(cards.getString("screen")).isEqualTo("Pay code " + code + " with:\n"
                + "1. ****0101 Kulipa Test Bank\n2. ****0106 Karoo Credit Union");
        JsonPath end = input(id, "2");
        assertThat(end.getString("state")).isEqualTo("ENDED");
        assertThat(end.getString("screen")).startsWith("R42.50 to pay with ****0106 (ref ").contains("card PIN");
        long txId = Long.parseLong(end.getString("screen").replaceAll("(?s).*\\(ref ([0-9]+)\\).*", "$1"));

        assertThat(purchase(txId).state().isFinal()).isFalse();
        answerPin(msisdn, "42.50", "0106");

        JsonNode n = notification(txId);
        assertThat(n.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(n.path("reference").asText()).isEqualTo("ussd-order-1");
        assertThat(n.path("amount").decimalValue()).isEqualByComparingTo("42.50");
        assertThat(n.path("cardLast4").asText()).isEqualTo("0106");
        assertThat(purchase(txId).state()).isEqualTo(PaymentState.COMPLETED);
        assertThat(balanceOf(msisdn, 1)).isEqualByComparingTo("300.00");
        assertThat(balanceOf(msisdn, 2)).isEqualByComparingTo("757.50");
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();
    }

    @Test
    void airtimeIsBoughtWithALinkedCardAndNotified() throws Exception {
        String msisdn = "27835550202";
        customer(msisdn, "4000000000000119", "500.00", "5200000000000114", "100.00");
        String id = dial(msisdn).getString("sessionId");
        assertThat(input(id, "2").getString("screen")).startsWith("Airtime for this number");
        assertThat(input(id, "25").getString("screen")).startsWith("Buy R25 airtime with:\n1. ****0119");
        JsonPath end = input(id, "1");
        assertThat(end.getString("state")).isEqualTo("ENDED");
        assertThat(end.getString("screen")).startsWith("R25.00 airtime for " + msisdn + " with ****0119 (ref ");
        long txId = Long.parseLong(end.getString("screen").replaceAll("(?s).*\\(ref ([0-9]+)\\).*", "$1"));
        answerPin(msisdn, "25.00", "0119");

        JsonNode n = notification(txId);
        assertThat(n.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(n.path("amount").decimalValue()).isEqualByComparingTo("25");
        // The merchant reference is the session's, so that the merchant can trace the purchase.
        assertThat(n.path("reference").asText()).isEqualTo(DemoUssdApplication.reference(id));
        assertThat(purchase(txId).state()).isEqualTo(PaymentState.COMPLETED);
        assertThat(balanceOf(msisdn, 1)).isEqualByComparingTo("475.00");
        assertThat(gateway.kulipa().ledger().verify()).isEmpty();
    }

    @Test
    void theBalanceAndTheCardsAreShownAndRefusalsAreSaidOnTheScreen() {
        String msisdn = "27835550203";
        customer(msisdn, "4000000000000127", "123.45", "5200000000000122", "10.00");
        // Shortcut dialling: *120*100*3# opens the balance menu at once.
        JsonPath choose = dial(msisdn, "*120*100*3#");
        assertThat(choose.getString("screen")).isEqualTo("Balance of:\n1. ****0127 Kulipa Test Bank\n"
                + "2. ****0122 Karoo Credit Union");
        JsonPath end = input(choose.getString("sessionId"), "1");
        assertThat(end.getString("state")).isEqualTo("ENDED");
        assertThat(end.getString("screen")).isEqualTo("****0127 Kulipa Test Bank\nAvailable: R123.45\nBalance: R123.45");

        assertThat(dial(msisdn, "*120*100*4#").getString("screen"))
                .isEqualTo("Your cards:\n****0127 Kulipa Test Bank\n****0122 Karoo Credit Union");
        // A code nobody made is the WIG API's 431, said in the customer's words.
        JsonPath unknown = dial(msisdn, "*120*100*1*9999999999*1#");
        assertThat(unknown.getString("state")).isEqualTo("ENDED");
        assertThat(unknown.getString("screen")).isEqualTo("No such code. Check it and dial again. (431)");
        // Airtime over the WIG API's limit is its 400 with the limit named, and nothing is bought.
        assertThat(dial(msisdn, "*120*100*2*600*1#").getString("screen")).isEqualTo("The AIRTIME limit of " + msisdn
                + " (R500 a purchase, R1000 and 10 purchases a day) would be passed. (400)");
        assertThat(balanceOf(msisdn, 1)).isEqualByComparingTo("123.45");
        // A number without a linked card.
        assertThat(dial("27835550299", "*120*100*3#").getString("screen")).isEqualTo("No card is linked to this number.");
    }

    @Test
    void aFormPostedToTheDemoByAnyoneButTheGatewayIsRefused() {
        String msisdn = "27835550204";
        customer(msisdn, "4000000000000135", "100.00", "5200000000000130", "100.00");
        String id = dial(msisdn).getString("sessionId");
        // A made-up session, and the real session with inputs it has not had: both refused.
        for (Map<String, String> form : List.of(
                Map.of("sessionId", "ATUid_0123456789abcdef0123456789abcdef", "phoneNumber", "+" + msisdn, "text", "3*1"),
                Map.of("sessionId", id, "phoneNumber", "+" + msisdn, "text", "3*1"),
                Map.of("sessionId", id, "phoneNumber", "+27835550201", "text", ""))) {
            String body = RestAssured.given().baseUri(gateway.baseUrl()).formParams(form).post(DemoUssd.PATH)
                    .then().statusCode(403).extract().asString();
            assertThat(body).startsWith("END ");
        }
        RestAssured.given().baseUri(gateway.baseUrl()).formParams(Map.of("text", "")).post(DemoUssd.PATH)
                .then().statusCode(400);
        // The session itself goes on.
        assertThat(input(id, "4").getString("screen")).startsWith("Your cards:");
    }

    // Helpers.

    static RequestSpecification wig() {
        return RestAssured.given().baseUri(gateway.baseUrl()).auth().preemptive()
                .basic(dialect.demo().username(), dialect.demo().password()).contentType("application/json");
    }

    /** A customer with two cards linked to the number (PIN {@link #PIN}) who answers prompts by hand. */
    static void customer(String msisdn, String pan1, String balance1, String pan2, String balance2) {
        for (String[] card : List.of(new String[] {pan1, balance1}, new String[] {pan2, balance2})) {
            gateway.anonymous().body(Map.of("pan", card[0], "expiry", "2031-01", "pin", PIN, "balance", card[1]))
                    .post("/sandbox/handsets/" + msisdn + "/cards").then().statusCode(201);
        }
        gateway.anonymous().body(Map.of("approval", "manual")).put("/sandbox/handsets/" + msisdn + "/wallet")
                .then().statusCode(200);
    }

    static JsonPath dial(String msisdn) {
        return dial(msisdn, DemoUssd.SERVICE_CODE);
    }

    static JsonPath dial(String msisdn, String code) {
        return gateway.anonymous().body(Map.of("msisdn", msisdn, "serviceCode", code)).post("/sandbox/ussd/sessions")
                .then().statusCode(201).extract().jsonPath();
    }

    static JsonPath input(String sessionId, String input) {
        return gateway.anonymous().body(Map.of("input", input)).post("/sandbox/ussd/sessions/" + sessionId + "/input")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The handset's one card PIN prompt, for this amount and card, answered with the right PIN. */
    static void answerPin(String msisdn, String amount, String last4) {
        List<Map<String, Object>> prompts = await().atMost(Duration.ofSeconds(10)).until(() -> gateway.anonymous()
                .get("/sandbox/handsets/" + msisdn + "/card-prompts").then().statusCode(200).extract()
                .<List<Map<String, Object>>>path("prompts"), p -> p.size() == 1);
        Map<String, Object> prompt = prompts.getFirst();
        assertThat(new BigDecimal(prompt.get("amount").toString())).isEqualByComparingTo(amount);
        assertThat(prompt.get("card")).isEqualTo("****" + last4);
        gateway.anonymous().body(Map.of("pin", PIN))
                .post("/sandbox/handsets/" + msisdn + "/card-prompts/" + prompt.get("reference") + "/pin")
                .then().statusCode(200);
    }

    /** The decrypted notification of the transaction, once the merchant's receiver has it. */
    static JsonNode notification(long txId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (LoggedRequest r : receiver.findAll(postRequestedFor(urlEqualTo("/stp")))) {
                JsonNode n = JSON.readTree(NotificationCipher.decrypt(r.getBodyAsString(), dialect.demo().notificationKey()));
                if (n.path("transactionId").asLong() == txId) {
                    return n;
                }
            }
            return null;
        }, n -> n != null);
    }

    /** The available balance of the customer's n-th card, as the WIG API answers it. */
    static BigDecimal balanceOf(String msisdn, int n) {
        String cardId = wig().get("/pluto/purchase/network/cards?msisdn=" + msisdn).then().statusCode(200)
                .extract().path("cards[" + (n - 1) + "].cardId");
        return new BigDecimal(wig().body(Map.of("msisdn", msisdn, "cardId", cardId))
                .post("/pluto/purchase/network/balance").then().statusCode(200).extract().jsonPath()
                .getString("availableBalance"));
    }

    static Payment purchase(long txId) {
        return gateway.kulipa().core().payments().find(gateway.kulipa().demoMerchantId(), "scantopay",
                PaymentKind.DEPOSIT, Long.toString(txId)).orElseThrow();
    }
}
