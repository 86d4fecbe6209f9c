package io.kulipa.dialects.scantopay;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.kulipa.dialects.scantopay.notifications.NotificationCipher;
import io.kulipa.ledger.AccountRef;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The WIG API end to end on embedded PostgreSQL: codes, paying a code with a linked card
 * (auto-approved PIN, a declining test card, a PIN entered on the handset), cards, balances,
 * the spec's errors, the encrypted notification and the fail-safe reversal of an unacknowledged
 * one; afterwards no PAN or PIN is in the log or in any text of the database.
 */
class ScantopayWigTest {

    static final String DEBIT = "4000000000000002";
    static final String DEBIT_MSISDN = "27831234567";
    static final String DECLINED_MSISDN = "27821234567";
    static final String PIN = "918273";
    static final ObjectMapper JSON = new ObjectMapper();
    static TestGateway gateway;
    static WireMockServer receiver;
    static ScantopayDialect dialect;
    static final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    static Logger kulipaLog;

    @BeforeAll
    static void start() {
        kulipaLog = (Logger) LoggerFactory.getLogger("io.kulipa");
        kulipaLog.setLevel(Level.DEBUG);
        captured.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(captured);
        receiver = CallbackReceiver.start();
        receiver.stubFor(any(urlPathEqualTo("/refuse")).willReturn(aResponse().withStatus(500)));
        gateway = TestGateway.start(Map.of("KULIPA_SCANTOPAY_ACK_WINDOW", "2s", "KULIPA_SANDBOX_APPROVAL_WINDOW", "60s"));
        dialect = gateway.kulipa().dialect(ScantopayDialect.class);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(captured);
        kulipaLog.setLevel(null);
        gateway.close();
        receiver.stop();
    }

    static RequestSpecification wig() {
        return RestAssured.given().baseUri(gateway.baseUrl()).auth().preemptive()
                .basic(dialect.demo().username(), dialect.demo().password()).contentType("application/json");
    }

    static RequestSpecification admin() {
        return RestAssured.given().baseUri(gateway.baseUrl()).header("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN)
                .contentType("application/json");
    }

    static void notifyAt(String url) {
        admin().body(url == null ? "{\"url\":null}" : "{\"url\":\"" + url + "\"}").put("/ops/scantopay/merchants/"
                + gateway.kulipa().demoMerchantId() + "/notification").then().statusCode(200);
    }

    static String code(String amount, String reference) {
        return wig().body(Map.of("amount", new BigDecimal(amount), "merchantReference", reference, "useOnce", true,
                        "shortDescription", "Order " + reference))
                .post("/pluto/code/create").then().statusCode(200).extract().path("code");
    }

    static Payment purchase(long txId) {
        return gateway.kulipa().core().payments().find(gateway.kulipa().demoMerchantId(), "scantopay",
                PaymentKind.DEPOSIT, Long.toString(txId)).orElseThrow();
    }

    @Test
    void aCodeIsPaidWithALinkedCardAndTheEncryptedNotificationIsAcknowledged() throws Exception {
        notifyAt(CallbackReceiver.url(receiver, "/ok"));
        String code = code("120.50", "order-ok-1");
        assertThat(code).matches("[0-9]{10}");
        String cardId = wig().get("/pluto/purchase/network/cards?msisdn=" + DEBIT_MSISDN).then().statusCode(200)
                .extract().path("cards[0].cardId");
        Response paid = wig().body(Map.of("msisdn", DEBIT_MSISDN, "code", code, "cardId", cardId))
                .post("/pluto/purchase/network/MTN/code");
        paid.then().statusCode(200);
        long txId = paid.jsonPath().getLong("transactionId");
        assertThat(paid.jsonPath().getString("network")).isEqualTo("MTN");
        assertThat(paid.jsonPath().getString("card.maskedPan")).isEqualTo("400000******0002");
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.findAll(postRequestedFor(urlEqualTo("/ok"))).isEmpty());
        var request = receiver.findAll(postRequestedFor(urlEqualTo("/ok"))).getLast();
        String body = request.getBodyAsString();
        assertThat(body).doesNotContain("transactionId").matches("[A-Za-z0-9+/]+=*");
        // As "Signing and verifying webhooks" says: a Base64 string (so not sent as JSON), AES-128-CBC
        // under the 32-hex-digit key with a zero IV; decrypted here without Kulipa's own code.
        assertThat(request.getHeader("Content-Type")).startsWith("text/plain");
        String key = dialect.demo().notificationKey();
        assertThat(key).matches("[0-9a-f]{32}");
        javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(
                java.util.HexFormat.of().parseHex(key), "AES"), new javax.crypto.spec.IvParameterSpec(new byte[16]));
        String clear = new String(aes.doFinal(java.util.Base64.getDecoder().decode(body)),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(clear).isEqualTo(NotificationCipher.decrypt(body, key));
        assertThat(opensslDecrypt(body, key)).isEqualTo(clear);
        JsonNode n = JSON.readTree(clear);
        assertThat(n.path("transactionId").asLong()).isEqualTo(txId);
        assertThat(n.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(n.path("reference").asText()).isEqualTo("order-ok-1");
        assertThat(n.path("amount").decimalValue()).isEqualByComparingTo("120.50");
        assertThat(n.path("cardLast4").asText()).isEqualTo("0002");
        // Acknowledged: after the window and the sweep's grace, the purchase stands.
        Thread.sleep(8_000);
        assertThat(purchase(txId).state()).isEqualTo(PaymentState.COMPLETED);
        assertThat(gateway.kulipa().core().payments().find(gateway.kulipa().demoMerchantId(), "scantopay",
                PaymentKind.REFUND, "reversal-" + txId)).isEmpty();
        // The code was for one use only.
        wig().body(Map.of("msisdn", DEBIT_MSISDN, "code", code)).post("/pluto/purchase/network/code")
                .then().statusCode(406);
        wig().get("/pluto/code/transaction/state/" + txId).then().statusCode(200)
                .body("txState", org.hamcrest.Matchers.equalTo("SUCCESS"));
        // With a notification URL, polling by reference is refused as documented.
        wig().body(Map.of("code", code, "merchantReference", "order-ok-1")).post("/pluto/code/queryRef")
                .then().statusCode(406);
    }

    /** The guide's command: {@code base64 -d | openssl enc -d -aes-128-cbc -K $KEY -iv 0...0}. */
    static String opensslDecrypt(String body, String key) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("notification", ".txt");
        java.nio.file.Files.writeString(file, body);
        Process p = new ProcessBuilder("sh", "-c", "base64 -d \"$0\" | openssl enc -d -aes-128-cbc -K \"$1\" -iv "
                + "00000000000000000000000000000000", file.toString(), key).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        java.nio.file.Files.delete(file);
        return out;
    }

    @Test
    void aPurchaseWhoseNotificationIsNotAcknowledgedIsReversedOnTheCardAndTheLedger() {
        notifyAt(CallbackReceiver.url(receiver, "/refuse"));
        var core = gateway.kulipa().core();
        var card = core.cards().cards(DEBIT_MSISDN).getFirst();
        BigDecimal before = core.issuers().account(card.lookupHash()).orElseThrow().balance();
        String wallet = AccountRef.merchantWallet(gateway.kulipa().demoMerchantId(), "ZAF", "ZAR").code();
        BigDecimal walletBefore = core.ledger().balance(wallet).orElseThrow().posted();
        Response paid = wig().body(Map.of("msisdn", DEBIT_MSISDN, "amount", new BigDecimal("30.00"),
                "merchantReference", "airtime-1", "cartItems", List.of(Map.of("description", "R30 airtime",
                        "quantity", "1", "value", new BigDecimal("30.00"), "destination", DEBIT_MSISDN,
                        "itemType", "AIRTIME")))).post("/pluto/purchase/network");
        paid.then().statusCode(200);
        long txId = paid.jsonPath().getLong("transactionId");
        await().atMost(Duration.ofSeconds(20)).until(() -> core.payments().find(gateway.kulipa().demoMerchantId(),
                "scantopay", PaymentKind.REFUND, "reversal-" + txId).map(r -> r.state() == PaymentState.COMPLETED)
                .orElse(false));
        assertThat(core.issuers().account(card.lookupHash()).orElseThrow().balance()).isEqualByComparingTo(before);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(core.ledger().balance(wallet)
                .orElseThrow().posted()).isEqualByComparingTo(walletBefore));
        wig().get("/pluto/code/transaction/state/" + txId).then().statusCode(200)
                .body("txState", org.hamcrest.Matchers.equalTo("END_REVERSED"));
        notifyAt(null);
    }

    @Test
    void aDecliningTestCardEndsBankRejectedWithItsBankResponse() {
        notifyAt(null);
        String code = code("10.00", "order-declined");
        List<Map<String, Object>> cards = wig().get("/pluto/purchase/network/cards?msisdn=" + DECLINED_MSISDN)
                .then().statusCode(200).extract().path("cards");
        String doNotHonour = cards.stream().filter(c -> c.get("last4").equals("0028")).findFirst().orElseThrow()
                .get("cardId").toString();
        long txId = wig().body(Map.of("msisdn", DECLINED_MSISDN, "code", code, "cardId", doNotHonour))
                .post("/pluto/purchase/network/code").then().statusCode(200).extract().jsonPath().getLong("transactionId");
        await().atMost(Duration.ofSeconds(10)).until(() -> purchase(txId).state().isFinal());
        wig().body(Map.of("code", code, "merchantReference", "order-declined")).post("/pluto/code/queryRef")
                .then().statusCode(200).body("txState", org.hamcrest.Matchers.equalTo("END_BANK_NON_00"))
                .body("status", org.hamcrest.Matchers.equalTo("BANK_REJECTED"))
                .body("bankResponse", org.hamcrest.Matchers.equalTo("05"));
    }

    @Test
    void theCustomerEntersThePinOnTheHandsetForACardLinkedThere() {
        notifyAt(null);
        String msisdn = "27835550101";
        RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .body(Map.of("pan", "4000000000000077", "expiry", "2031-01", "pin", PIN, "balance", "300.00"))
                .post("/sandbox/handsets/" + msisdn + "/cards").then().statusCode(201);
        RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .body(Map.of("approval", "manual")).put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(200);
        String code = code("25.00", "order-pin");
        long txId = wig().body(Map.of("msisdn", msisdn, "code", code)).post("/pluto/purchase/network/code")
                .then().statusCode(200).extract().jsonPath().getLong("transactionId");
        String ref = purchase(txId).id().toString();
        await().atMost(Duration.ofSeconds(5)).until(() -> !RestAssured.given().baseUri(gateway.baseUrl())
                .get("/sandbox/handsets/" + msisdn + "/card-prompts").jsonPath().getList("prompts").isEmpty());
        String text = RestAssured.given().baseUri(gateway.baseUrl()).get("/sandbox/handsets/" + msisdn + "/card-prompts")
                .jsonPath().getString("prompts[0].text");
        assertThat(text).contains("****0077", "25.00");
        RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json").body(Map.of("pin", PIN))
                .post("/sandbox/handsets/" + msisdn + "/card-prompts/" + ref + "/pin").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> purchase(txId).state() == PaymentState.COMPLETED);
        String available = wig().body(Map.of("msisdn", msisdn)).post("/pluto/purchase/network/balance").then()
                .statusCode(200).extract().jsonPath().getString("availableBalance");
        assertThat(new BigDecimal(available)).isEqualByComparingTo("275.00");
    }

    @Test
    void theSpecsErrorsNameTheirField() {
        wig().body(Map.of("code", "0123456789")).post("/pluto/purchase/network/code").then().statusCode(465);
        wig().body(Map.of("msisdn", DEBIT_MSISDN, "code", "0123456789")).post("/pluto/purchase/network/VODACOM/code")
                .then().statusCode(433).body("name", org.hamcrest.Matchers.equalTo("INVALID_NETWORK"));
        wig().body(Map.of("msisdn", DEBIT_MSISDN, "code", "0123456789")).post("/pluto/purchase/network/ORANGE/code")
                .then().statusCode(433);
        wig().body(Map.of("msisdn", ScantopayDialect.SANDBOX_SUSPENDED_MSISDN, "code", "0123456789"))
                .post("/pluto/purchase/network/code").then().statusCode(434);
        wig().body(Map.of("msisdn", DEBIT_MSISDN, "code", "0123456789")).post("/pluto/purchase/network/code")
                .then().statusCode(431);
        String notWhitelisted = wig().get("/pluto/purchase/network/cards?msisdn=27721234567").jsonPath()
                .getList("cards", Map.class).stream().filter(c -> c.get("last4").equals("0006")).findFirst()
                .orElseThrow().get("cardId").toString();
        wig().body(Map.of("msisdn", "27721234567", "code", code("5.00", "bin"), "cardId", notWhitelisted))
                .post("/pluto/purchase/network/code").then().statusCode(468);
        wig().body(Map.of("msisdn", DEBIT_MSISDN, "amount", "1e3", "merchantReference", "x"))
                .post("/pluto/purchase/network").then().statusCode(432);
        RestAssured.given().baseUri(gateway.baseUrl()).auth().preemptive().basic(dialect.demo().username(), "wrong")
                .get("/pluto/purchase/network/cards?msisdn=" + DEBIT_MSISDN).then().statusCode(401);
        wig().get("/pluto/purchase/network/cards").then().statusCode(465);
        wig().body("{").post("/pluto/code/create").then().statusCode(400);
    }

    @Test
    void cardListsShowOnlyTheBinAndLastFour() {
        String body = wig().get("/pluto/purchase/network/cards?msisdn=" + DEBIT_MSISDN).then().statusCode(200)
                .extract().asString();
        assertThat(body).contains("400000******0002").doesNotContain(DEBIT);
    }

    /** Runs last by name order is not guaranteed, so it runs its own flows before it looks. */
    @Test
    void noPanNorPinIsInTheLogOrInTheDatabase() {
        theCustomerEntersThePinOnTheHandsetForACardLinkedThereAgain();
        List<String> pans = List.of(DEBIT, "4000000000000028", "4000000000000077", "4000000000000085");
        String log = String.join("\n", captured.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList());
        for (String pan : pans) {
            assertThat(log).doesNotContain(pan);
        }
        assertThat(log).doesNotContain(PIN);
        String everything = gateway.jdbi().withHandle(h -> {
            StringBuilder all = new StringBuilder();
            for (String table : h.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    + "'public' AND table_type = 'BASE TABLE'").mapTo(String.class).list()) {
                h.createQuery("SELECT to_jsonb(t)::text FROM \"" + table + "\" t").mapTo(String.class)
                        .forEach(row -> all.append(row).append('\n'));
            }
            return all.toString();
        });
        for (String pan : pans) {
            assertThat(everything).doesNotContain(pan);
        }
        assertThat(everything).doesNotContain(PIN).contains("400000");
    }

    private void theCustomerEntersThePinOnTheHandsetForACardLinkedThereAgain() {
        String msisdn = "27835550102";
        RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .body(Map.of("pan", "4000000000000085", "expiry", "2031-01", "pin", PIN, "balance", "300.00"))
                .post("/sandbox/handsets/" + msisdn + "/cards").then().statusCode(201);
        long txId = wig().body(Map.of("msisdn", msisdn, "code", code("12.00", "pci"))).post("/pluto/purchase/network/code")
                .then().statusCode(200).extract().jsonPath().getLong("transactionId");
        await().atMost(Duration.ofSeconds(10)).until(() -> purchase(txId).state().isFinal());
        UUID ignored = purchase(txId).id();
        assertThat(ignored).isNotNull();
    }
}
