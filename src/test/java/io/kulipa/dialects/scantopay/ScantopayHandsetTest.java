package io.kulipa.dialects.scantopay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The customer's side of a WIG purchase, only through the {@code /pluto} endpoints and the
 * sandbox handset endpoints: a PIN prompt left unanswered times out (END_TIMEOUT_PURCHASE, with a
 * short configured window), three wrong PINs lock the card at the issuer and the next purchase on
 * it ends as documented, and a successful purchase leaves the issuer's SMS receipt in the inbox.
 */
class ScantopayHandsetTest {

    /**
     * The configured PIN prompt time-out: short, so that the test waits seconds, not a minute, yet
     * long enough for three PINs to be checked (each a slow PBKDF2 hash) on a loaded machine.
     */
    static final Duration PROMPT_WINDOW = Duration.ofSeconds(10);
    static final String PIN = "2468";
    static TestGateway gateway;
    static ScantopayDialect dialect;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(Map.of("KULIPA_SANDBOX_APPROVAL_WINDOW", PROMPT_WINDOW.toMillis() + "ms"));
        dialect = gateway.kulipa().dialect(ScantopayDialect.class);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static RequestSpecification wig() {
        return RestAssured.given().baseUri(gateway.baseUrl()).auth().preemptive()
                .basic(dialect.demo().username(), dialect.demo().password()).contentType("application/json");
    }

    static RequestSpecification handset() {
        return RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json");
    }

    /** A handset with one card of its own (PIN {@link #PIN}) that waits for the customer to answer. */
    static void manualHandset(String msisdn, String pan) {
        handset().body(Map.of("pan", pan, "expiry", "2031-01", "pin", PIN, "balance", "300.00"))
                .post("/sandbox/handsets/" + msisdn + "/cards").then().statusCode(201);
        handset().body(Map.of("approval", "manual")).put("/sandbox/handsets/" + msisdn + "/wallet").then()
                .statusCode(200);
    }

    static long payCode(String msisdn, String amount, String reference) {
        String code = wig().body(Map.of("amount", new BigDecimal(amount), "merchantReference", reference))
                .post("/pluto/code/create").then().statusCode(200).extract().path("code");
        return wig().body(Map.of("msisdn", msisdn, "code", code)).post("/pluto/purchase/network/code").then()
                .statusCode(200).extract().jsonPath().getLong("transactionId");
    }

    static Response state(long txId) {
        return wig().get("/pluto/code/transaction/state/" + txId).then().statusCode(200).extract().response();
    }

    static void awaitFinal(long txId) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                !"PENDING".equals(state(txId).path("status")));
    }

    /** The reference of the PIN prompt on the handset, once it is there. */
    static String prompt(String msisdn) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !handset().get("/sandbox/handsets/" + msisdn
                + "/card-prompts").jsonPath().getList("prompts").isEmpty());
        return handset().get("/sandbox/handsets/" + msisdn + "/card-prompts").jsonPath().getString("prompts[0].reference");
    }

    static BigDecimal balance(String msisdn) {
        return new BigDecimal(wig().body(Map.of("msisdn", msisdn)).post("/pluto/purchase/network/balance").then()
                .statusCode(200).extract().jsonPath().getString("availableBalance"));
    }

    static List<Map<String, Object>> sms(String msisdn) {
        return handset().get("/sandbox/handsets/" + msisdn + "/sms").then().statusCode(200).extract().jsonPath()
                .getList("");
    }

    @Test
    void aPinPromptLeftUnansweredTimesOut() {
        String msisdn = "27835550201";
        manualHandset(msisdn, "4000000000000119");
        long asked = System.nanoTime();
        long txId = payCode(msisdn, "20.00", "timeout-1");
        String reference = prompt(msisdn);
        assertThat(state(txId).<String>path("txState")).isEqualTo("PROCESS_PIN_PROMPT");
        awaitFinal(txId);
        // Not before the window (the prompt is due a window after the purchase was accepted).
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(PROMPT_WINDOW);
        Response s = state(txId);
        assertThat(s.<String>path("txState")).isEqualTo("END_TIMEOUT_PURCHASE");
        assertThat(s.<String>path("status")).isEqualTo("TIMEOUT_PURCHASE");
        // The prompt is gone: a PIN typed now answers nothing and moves no money.
        assertThat(handset().get("/sandbox/handsets/" + msisdn + "/card-prompts").jsonPath().getList("prompts")).isEmpty();
        handset().body(Map.of("pin", PIN)).post("/sandbox/handsets/" + msisdn + "/card-prompts/" + reference + "/pin")
                .then().statusCode(404).body("result", equalTo("NO_SUCH_PROMPT"));
        assertThat(balance(msisdn)).isEqualByComparingTo("300.00");
    }

    @Test
    void threeWrongPinsLockTheCardAndTheNextPurchaseOnItIsDeclined() {
        String msisdn = "27835550202";
        manualHandset(msisdn, "4000000000000127");
        long txId = payCode(msisdn, "15.00", "lock-1");
        String reference = prompt(msisdn);
        String pin = "/sandbox/handsets/" + msisdn + "/card-prompts/" + reference + "/pin";
        for (int i = 0; i < 2; i++) {
            handset().body(Map.of("pin", "0000")).post(pin).then().statusCode(403).body("result", equalTo("WRONG_PIN"));
            assertThat(state(txId).<String>path("txState")).isEqualTo("PROCESS_PIN_PROMPT");
        }
        handset().body(Map.of("pin", "0000")).post(pin).then().statusCode(403).body("result", equalTo("PIN_LOCKED"));
        awaitFinal(txId);
        Response s = state(txId);
        assertThat(s.<String>path("txState")).isEqualTo("END_BANK_NON_00");
        assertThat(s.<String>path("status")).isEqualTo("BANK_REJECTED");
        assertThat(s.<String>path("bankResponse")).isEqualTo("75");

        // The card stays locked at the issuer: even the right PIN on the next purchase is declined, 75.
        long next = payCode(msisdn, "5.00", "lock-2");
        handset().body(Map.of("pin", PIN)).post("/sandbox/handsets/" + msisdn + "/card-prompts/" + prompt(msisdn)
                + "/pin").then().statusCode(200);
        awaitFinal(next);
        Response after = state(next);
        assertThat(after.<String>path("txState")).isEqualTo("END_BANK_NON_00");
        assertThat(after.<String>path("bankResponse")).isEqualTo("75");
        assertThat(balance(msisdn)).isEqualByComparingTo("300.00");
        // A strike re-runs the authorisation: the issuer still declines the locked card.
        long struck = wig().body(Map.of("originalTxId", next, "msisdn", msisdn)).post("/pluto/purchase/strike").then()
                .statusCode(200).extract().jsonPath().getLong("transactionId");
        handset().body(Map.of("pin", PIN)).post("/sandbox/handsets/" + msisdn + "/card-prompts/" + prompt(msisdn)
                + "/pin").then().statusCode(200);
        awaitFinal(struck);
        assertThat(state(struck).<String>path("bankResponse")).isEqualTo("75");
        assertThat(sms(msisdn)).anySatisfy(m -> assertThat(m.get("text").toString()).contains("****0127", "declined"));
    }

    @Test
    void aSuccessfulPurchaseLeavesTheIssuersSmsReceiptInTheInbox() {
        String msisdn = "27835550203";
        handset().body(Map.of("pan", "4000000000000135", "expiry", "2031-01", "pin", PIN, "balance", "300.00"))
                .post("/sandbox/handsets/" + msisdn + "/cards").then().statusCode(201);
        assertThat(sms(msisdn)).isEmpty();
        long txId = payCode(msisdn, "12.50", "receipt-1");
        awaitFinal(txId);
        Response s = state(txId);
        assertThat(s.<String>path("txState")).isEqualTo("SUCCESS");
        String auth = s.path("authCode");
        assertThat(auth).isNotBlank();
        await().atMost(Duration.ofSeconds(5)).until(() -> !sms(msisdn).isEmpty());
        Map<String, Object> receipt = sms(msisdn).getFirst();
        assertThat(receipt.get("sender")).isEqualTo("CARDBANK");
        assertThat(receipt.get("text").toString()).contains("****0135", "12.50", "ZAR", auth, "287.50");
    }
}
