package io.kulipa.dialects.jenga;

import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kulipa.testing.CallbackReceiver;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Outcomes of pushes as a merchant hears them: every Equitel test number ends in its callback
 * code with exactly the spec's fields, other numbers behave as a handset does (approval with the
 * PIN, rejection, wrong PINs, no answer, too little money), and a merchant whose callback was
 * lost can look the outcome up and have the callback sent again.
 */
@SuppressWarnings("unchecked")
class JengaOutcomesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SPEC_FIELDS = List.of("status", "code", "message", "transactionReference",
            "telcoReference", "mobileNumber", "debitedAmount", "requestAmount", "charge", "currency", "telco");

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

    /** Pushes from {@code msisdn} and answers the reference. */
    static String push(String msisdn, String amount, String path) {
        String ref = JengaClient.ref();
        client.push(JengaClient.body(ref, msisdn, amount, CallbackReceiver.url(receiver, path)))
                .then().statusCode(200).body("code", equalTo(-1));
        return ref;
    }

    static JsonNode callback(String path, String ref) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !received(path, ref).isEmpty());
        try {
            return JSON.readTree(received(path, ref).getFirst().getBodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<LoggedRequest> received(String path, String ref) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path))
                .withRequestBody(matchingJsonPath("$.transactionReference", equalToJson(ref))));
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern equalToJson(String ref) {
        return com.github.tomakehurst.wiremock.client.WireMock.equalTo(ref);
    }

    @ParameterizedTest(name = "{0} ends in code {1}")
    @CsvSource(delimiter = '|', value = {
            "254764000001|1|false|Invalid pin",
            "254764000002|1|false|MaximumAmountExceeded",
            "254764000003|1|false|InsufficientFund",
            "254764000004|2|true|Transaction Successful - Awaiting Third Party Settlement",
            "254764000005|3|true|Successful",
            "254764000006|4|true|Transaction was successful but failed to credit merchant account",
            "254764000007|5|false|Transaction was Cancelled by user",
            "254764000008|6|false|Transaction was Cancelled by user",
            "254764000009|7|false|Transaction rejected due to validation errors"})
    void everyTestNumberEndsInItsCallbackCode(String msisdn, int code, boolean status, String message) {
        String ref = push(msisdn, "5.00", "/numbers");
        JsonNode cb = callback("/numbers", ref);
        assertThat(cb.path("code").asInt()).isEqualTo(code);
        assertThat(cb.path("status").asBoolean()).isEqualTo(status);
        assertThat(cb.path("message").asText()).isEqualTo(message);
        assertThat(cb.path("mobileNumber").asText()).isEqualTo(msisdn);
        assertThat(cb.path("requestAmount").decimalValue()).isEqualByComparingTo("5");
        assertThat(cb.path("debitedAmount").decimalValue()).isEqualByComparingTo("5");
        assertThat(cb.path("charge").decimalValue()).isEqualByComparingTo("1");
        assertThat(cb.path("currency").asText()).isEqualTo("KES");
        assertThat(cb.path("telco").asText()).isEqualTo("Equitel");
        assertThat(SPEC_FIELDS).containsAll(fields(cb));
        assertThat(cb.has("telcoReference")).isEqualTo(status);
        client.status(ref).then().statusCode(200).body("code", equalTo(code));
    }

    @Test
    void thePendingTestNumberSendsNoFinalCallbackAndLooksUpAsCode0() throws InterruptedException {
        String ref = push("254764000000", "5.00", "/pending");
        Thread.sleep(1_500);
        assertThat(received("/pending", ref)).isEmpty();
        client.status(ref).then().statusCode(200).body("code", equalTo(0)).body("status", equalTo(false))
                .body("message", equalTo("Request pending to be processed"));
        client.resend(ref).then().statusCode(409).body("status", equalTo(false));
    }

    @Test
    void aCompletedPushCallsBackWithEveryFieldOfTheSpec() {
        String ref = push("254765111001", "53000", "/complete");
        JsonNode cb = callback("/complete", ref);
        assertThat(fields(cb)).containsExactlyElementsOf(SPEC_FIELDS);
        assertThat(cb.path("code").asInt()).isEqualTo(3);
        assertThat(cb.path("status").asBoolean()).isTrue();
        assertThat(cb.path("message").asText()).isEqualTo("Successful");
        assertThat(cb.path("debitedAmount").decimalValue()).isEqualByComparingTo("53000");
        assertThat(cb.path("charge").decimalValue()).isEqualByComparingTo("53");
        assertThat(cb.path("transactionReference").asText()).isEqualTo(ref);
        assertThat(cb.path("telcoReference").asText()).isNotBlank();
    }

    @Test
    void aSafaricomPushCompletesOnMpesaAndCallsBackInJengasWords() {
        String ref = JengaClient.ref();
        Map<String, Object> body = JengaClient.body(ref, "254712000111", "100", CallbackReceiver.url(receiver, "/mpesa"));
        ((Map<String, Object>) body.get("payment")).put("telco", "Safaricom");
        client.push(body).then().statusCode(200).body("code", equalTo(-1));
        JsonNode cb = callback("/mpesa", ref);
        assertThat(cb.path("code").asInt()).isEqualTo(3);
        assertThat(cb.path("telco").asText()).isEqualTo("Safaricom");
        assertThat(fields(cb)).containsExactlyElementsOf(SPEC_FIELDS);
    }

    @Test
    void theHandsetApprovesWithThePinRejectsAndLocksAfterWrongPins() {
        String approving = "254765222001";
        manual(approving);
        String ref = push(approving, "150.00", "/handset");
        String prompt = promptOf(approving);
        handset(approving, prompt, "approve", Map.of("pin", "1234")).then().statusCode(200);
        assertThat(callback("/handset", ref).path("code").asInt()).isEqualTo(3);

        String rejecting = "254765222002";
        manual(rejecting);
        String rejected = push(rejecting, "20.00", "/handset");
        handset(rejecting, promptOf(rejecting), "reject", Map.of()).then().statusCode(200);
        assertThat(callback("/handset", rejected).path("code").asInt()).isEqualTo(5);

        String locking = "254765222003";
        manual(locking);
        String locked = push(locking, "20.00", "/handset");
        String lockedPrompt = promptOf(locking);
        handset(locking, lockedPrompt, "approve", Map.of("pin", "0000")).then().statusCode(403);
        handset(locking, lockedPrompt, "approve", Map.of("pin", "0000")).then().statusCode(403);
        handset(locking, lockedPrompt, "approve", Map.of("pin", "0000")).then().statusCode(403);
        JsonNode cb = callback("/handset", locked);
        // A prompt locked with wrong PINs is Jenga's "Invalid pin", unlike a rejection.
        assertThat(cb.path("code").asInt()).isEqualTo(1);
        assertThat(cb.path("message").asText()).isEqualTo("Invalid pin");
        assertThat(cb.path("status").asBoolean()).isFalse();
    }

    @Test
    void aPaidPushSendsJengasSmsReceiptForStkAndUssd() {
        for (String type : List.of("STK", "USSD")) {
            String msisdn = type.equals("STK") ? "254765444001" : "254765444002";
            String ref = JengaClient.ref();
            Map<String, Object> body = JengaClient.body(ref, msisdn, "400", CallbackReceiver.url(receiver, "/sms"));
            ((Map<String, Object>) body.get("payment")).put("pushType", type);
            client.push(body).then().statusCode(200);
            callback("/sms", ref);
            List<Map<String, Object>> sms = RestAssured.given().baseUri(gateway.baseUrl())
                    .get("/sandbox/handsets/" + msisdn + "/sms").then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(sms).anySatisfy(m -> {
                assertThat(m.get("sender")).isEqualTo("JENGA");
                assertThat((String) m.get("text")).matches("Equitel payment confirmed\\. You have successfully completed "
                        + "your transaction of KES 400\\.00 to Sportify Ltd on \\d{2}-\\d{2}-\\d{4} at "
                        + "\\d{2}:\\d{2}:\\d{2} [AP]M\\. Service charge, KES 0\\.00\\. Ref\\. " + ref);
            });
        }
    }

    @Test
    void aPromptLeftUnansweredIsCancelledAndTooLittleMoneyIsInsufficientFund() {
        String silent = "254765333001";
        manual(silent);
        String ref = push(silent, "20.00", "/timeout");
        JsonNode cb = callback("/timeout", ref);
        assertThat(cb.path("code").asInt()).isEqualTo(6);

        String poor = "254765333002";
        wallet(poor, Map.of("balance", "10"));
        String poorRef = push(poor, "20.00", "/poor");
        JsonNode poorCb = callback("/poor", poorRef);
        assertThat(poorCb.path("code").asInt()).isEqualTo(1);
        assertThat(poorCb.path("message").asText()).isEqualTo("InsufficientFund");
    }

    @Test
    void aLostCallbackCanBeLookedUpAndSentAgain() {
        String path = "/lost";
        receiver.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(path))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(500)));
        String ref = push("254764000005", "5.00", path);
        callback(path, ref);
        client.status(ref).then().statusCode(200).body("code", equalTo(3)).body("transactionReference", equalTo(ref));
        client.status("NOSUCHREF1").then().statusCode(404).body("status", equalTo(false));
        int attempts = gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM callback_attempt a "
                + "JOIN payment p ON p.id = a.payment_id WHERE p.client_ref = :r").bind("r", ref).mapTo(Integer.class).one());
        assertThat(attempts).isPositive();
        // Delivery is retried while the window lasts, so a resend is refused meanwhile...
        client.resend(ref).then().statusCode(409).body("message", org.hamcrest.Matchers.containsString("delivered"));
        // ...and the next attempt reaches the merchant once its endpoint answers again.
        receiver.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(path))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)));
        await().atMost(Duration.ofSeconds(40)).until(() -> received(path, ref).size() >= 2);
        // Once delivered, a merchant that lost what it received may still ask for it again.
        await().atMost(Duration.ofSeconds(10)).until(() -> client.resend(ref).statusCode() == 202);
        await().atMost(Duration.ofSeconds(20)).until(() -> received(path, ref).size() >= 3);
        assertThat(received(path, ref).getLast().getBodyAsString()).contains("\"code\":3");
    }

    static void manual(String msisdn) {
        wallet(msisdn, Map.of("approval", "manual"));
    }

    static void wallet(String msisdn, Map<String, Object> body) {
        RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON).body(body)
                .put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(200);
    }

    static String promptOf(String msisdn) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !RestAssured.given().baseUri(gateway.baseUrl())
                .get("/sandbox/handsets/" + msisdn + "/prompts").then().extract().jsonPath().getList("$").isEmpty());
        return RestAssured.given().baseUri(gateway.baseUrl()).get("/sandbox/handsets/" + msisdn + "/prompts")
                .then().extract().path("[0].reference");
    }

    static io.restassured.response.Response handset(String msisdn, String prompt, String action, Map<String, Object> body) {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON).body(body)
                .post("/sandbox/handsets/" + msisdn + "/prompts/" + prompt + "/" + action);
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
