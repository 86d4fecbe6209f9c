package io.kulipa.dialects.momo;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MoMo's operations beyond request to pay and transfer, over HTTP against a whole gateway:
 * request to withdraw (v1_0, v2_0), deposit (v1_0, v2_0), refund (v1_0, v2_0), the remittance
 * transfer, the v2_0 service-provider payment, delivery notifications and balances by currency.
 */
class MomoOperationsTest {

    static final String CUSTOMER = "46733123401";
    static final Duration FINAL = Duration.ofSeconds(15);
    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(
            Map.of("KULIPA_SANDBOX_APPROVAL_DELAY", "200ms"));
    static MomoClient momo;

    @BeforeAll
    static void provision() {
        momo = MomoClient.provision(gateway.get(), "127.0.0.1");
    }

    static String receiverUrl(String path) {
        return receiver.url(path);
    }

    static Map<String, Object> body(String amount, String party, String msisdn) {
        Map<String, Object> body = new HashMap<>();
        body.put("amount", amount);
        body.put("currency", "EUR");
        body.put("externalId", "ext-" + amount);
        body.put(party, MomoClient.msisdn(msisdn));
        body.put("payerMessage", "for the shop");
        body.put("payeeNote", "thank you");
        return body;
    }

    static RequestSpecification spec(String product, String reference, String callbackUrl) {
        RequestSpecification spec = momo.product(product, "sandbox").header("X-Reference-Id", reference);
        return callbackUrl == null ? spec : spec.header("X-Callback-Url", callbackUrl);
    }

    static String status(String product, String path, String reference) {
        return momo.product(product, "sandbox").get("/" + product + "/" + path + "/" + reference)
                .then().statusCode(200).extract().path("status");
    }

    static String awaitFinal(String product, String path, String reference) {
        await().atMost(FINAL).until(() -> !"PENDING".equals(status(product, path, reference)));
        return status(product, path, reference);
    }

    static BigDecimal balance(String product) {
        return new BigDecimal(momo.product(product, "sandbox").get("/" + product + "/v1_0/account/balance")
                .then().statusCode(200).extract().<String>path("availableBalance"));
    }

    /** A successful request to pay of {@code amount} EUR, for refunds. */
    static String collected(String amount) {
        String reference = UUID.randomUUID().toString();
        spec("collection", reference, null).body(body(amount, "payer", CUSTOMER)).post("/collection/v1_0/requesttopay")
                .then().statusCode(202);
        assertThat(awaitFinal("collection", "v1_0/requesttopay", reference)).isEqualTo("SUCCESSFUL");
        return reference;
    }

    // ------------------------------------------------------------- request to withdraw

    @Test
    void aV1WithdrawalIsApprovedOnTheHandsetAndCalledBackWithPut() {
        String reference = UUID.randomUUID().toString();
        spec("collection", reference, receiverUrl("/withdraw/v1")).body(body("7", "payer", CUSTOMER))
                .post("/collection/v1_0/requesttowithdraw").then().statusCode(202).body(emptyString());
        // Found at once, before the customer has answered.
        momo.collection().get("/collection/v1_0/requesttowithdraw/" + reference).then().statusCode(200)
                .body("payer.partyId", equalTo(CUSTOMER)).body("amount", equalTo("7"));
        assertThat(awaitFinal("collection", "v1_0/requesttowithdraw", reference)).isEqualTo("SUCCESSFUL");
        await().atMost(FINAL).until(() -> !receiver.findAll(anyRequestedFor(anyUrl())).isEmpty());
        receiver.verify(1, putRequestedFor(urlEqualTo("/withdraw/v1"))
                .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("SUCCESSFUL")))
                .withRequestBody(matchingJsonPath("$.payer.partyId", WireMock.equalTo(CUSTOMER))));
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void aV2WithdrawalIsCalledBackWithPostAndItsStatusIsAtBothVersions() {
        String reference = UUID.randomUUID().toString();
        spec("collection", reference, receiverUrl("/withdraw/v2")).body(body("8", "payer", CUSTOMER))
                .post("/collection/v2_0/requesttowithdraw").then().statusCode(202);
        assertThat(awaitFinal("collection", "v2_0/requesttowithdraw", reference)).isEqualTo("SUCCESSFUL");
        assertThat(status("collection", "v1_0/requesttowithdraw", reference)).isEqualTo("SUCCESSFUL");
        await().atMost(FINAL).until(() -> !receiver.findAll(anyRequestedFor(anyUrl())).isEmpty());
        receiver.verify(1, postRequestedFor(urlEqualTo("/withdraw/v2"))
                .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("SUCCESSFUL"))));
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void aWithdrawalIsNotARequestToPayAndItsReferenceCannotBeReused() {
        String reference = UUID.randomUUID().toString();
        spec("collection", reference, null).body(body("3", "payer", CUSTOMER))
                .post("/collection/v2_0/requesttowithdraw").then().statusCode(202);
        momo.collection().get("/collection/v1_0/requesttopay/" + reference).then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
        spec("collection", reference, null).body(body("3", "payer", CUSTOMER))
                .post("/collection/v1_0/requesttopay").then().statusCode(409).body("code", equalTo("RESOURCE_ALREADY_EXIST"));
        spec("collection", reference, null).body(body("3", "payer", CUSTOMER))
                .post("/collection/v2_0/requesttowithdraw").then().statusCode(409);
        assertThat(rows(reference)).isEqualTo(1);
    }

    @Test
    void aWithdrawalFromATestNumberFailsWithItsReason() {
        String reference = UUID.randomUUID().toString();
        spec("collection", reference, null).body(body("3", "payer", "46733123451"))
                .post("/collection/v2_0/requesttowithdraw").then().statusCode(202);
        assertThat(awaitFinal("collection", "v1_0/requesttowithdraw", reference)).isEqualTo("FAILED");
        momo.collection().get("/collection/v1_0/requesttowithdraw/" + reference).then()
                .body("reason", equalTo("APPROVAL_REJECTED"));
    }

    // ------------------------------------------------------------- deposit (cash-in)

    @Test
    void depositsOfBothVersionsMoveMoneyFromTheWalletAndAreCalledBackWithTheirMethod() {
        BigDecimal before = balance("disbursement");
        String v1 = UUID.randomUUID().toString();
        String v2 = UUID.randomUUID().toString();
        spec("disbursement", v1, receiverUrl("/deposit/v1")).body(body("11", "payee", "46733123402"))
                .post("/disbursement/v1_0/deposit").then().statusCode(202);
        spec("disbursement", v2, receiverUrl("/deposit/v2")).body(body("12.50", "payee", "46733123402"))
                .post("/disbursement/v2_0/deposit").then().statusCode(202);
        assertThat(awaitFinal("disbursement", "v1_0/deposit", v1)).isEqualTo("SUCCESSFUL");
        assertThat(awaitFinal("disbursement", "v2_0/deposit", v2)).isEqualTo("SUCCESSFUL");
        assertThat(balance("disbursement")).isEqualByComparingTo(before.subtract(new BigDecimal("23.50")));
        momo.disbursement().get("/disbursement/v1_0/deposit/" + v2).then().statusCode(200)
                .body("payee.partyId", equalTo("46733123402")).body("amount", equalTo("12.50"))
                .body("financialTransactionId", notNullValue());
        // A deposit is not a transfer.
        momo.disbursement().get("/disbursement/v1_0/transfer/" + v1).then().statusCode(404);
        await().atMost(FINAL).until(() -> receiver.findAll(anyRequestedFor(anyUrl())).size() == 2);
        receiver.verify(1, putRequestedFor(urlEqualTo("/deposit/v1")));
        receiver.verify(1, postRequestedFor(urlEqualTo("/deposit/v2")));
    }

    // ------------------------------------------------------------- refund

    @Test
    void aRefundReturnsPartOfASuccessfulCollectionAndNeverMoreThanWasCollected() {
        String collected = collected("20");
        BigDecimal before = balance("disbursement");
        String first = UUID.randomUUID().toString();
        spec("disbursement", first, receiverUrl("/refund/v1")).body(refund("15", collected))
                .post("/disbursement/v1_0/refund").then().statusCode(202).body(emptyString());
        assertThat(awaitFinal("disbursement", "v1_0/refund", first)).isEqualTo("SUCCESSFUL");
        momo.disbursement().get("/disbursement/v1_0/refund/" + first).then()
                .body("payee.partyId", equalTo(CUSTOMER)).body("amount", equalTo("15"));
        assertThat(balance("disbursement")).isEqualByComparingTo(before.subtract(new BigDecimal("15")));

        // 15 of 20 are refunded: 6 more is too much, 5 is what is left.
        spec("disbursement", UUID.randomUUID().toString(), null).body(refund("6", collected))
                .post("/disbursement/v2_0/refund").then().statusCode(400);
        String second = UUID.randomUUID().toString();
        spec("disbursement", second, receiverUrl("/refund/v2")).body(refund("5", collected))
                .post("/disbursement/v2_0/refund").then().statusCode(202);
        assertThat(awaitFinal("disbursement", "v2_0/refund", second)).isEqualTo("SUCCESSFUL");
        spec("disbursement", UUID.randomUUID().toString(), null).body(refund("0.01", collected))
                .post("/disbursement/v1_0/refund").then().statusCode(400);
        assertThat(balance("disbursement")).isEqualByComparingTo(before.subtract(new BigDecimal("20")));

        await().atMost(FINAL).until(() -> receiver.findAll(anyRequestedFor(anyUrl())).size() == 2);
        receiver.verify(1, putRequestedFor(urlEqualTo("/refund/v1")));
        receiver.verify(1, postRequestedFor(urlEqualTo("/refund/v2")));
    }

    @Test
    void onlyASuccessfulRequestToPayCanBeRefunded() {
        String failed = UUID.randomUUID().toString();
        spec("collection", failed, null).body(body("4", "payer", "46733123455")).post("/collection/v1_0/requesttopay")
                .then().statusCode(202);
        assertThat(awaitFinal("collection", "v1_0/requesttopay", failed)).isEqualTo("FAILED");
        spec("disbursement", UUID.randomUUID().toString(), null).body(refund("4", failed))
                .post("/disbursement/v1_0/refund").then().statusCode(400).body("message", containsString(failed))
                .body("message", containsString("referenceIdToRefund"));
        String unknown = UUID.randomUUID().toString();
        spec("disbursement", UUID.randomUUID().toString(), null).body(refund("4", unknown))
                .post("/disbursement/v1_0/refund").then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND")).body("message", containsString("referenceIdToRefund"));
        spec("disbursement", UUID.randomUUID().toString(), null).body(refund("4", "not-a-uuid"))
                .post("/disbursement/v1_0/refund").then().statusCode(400)
                .body("message", containsString("referenceIdToRefund"));
    }

    @Test
    void aRefundReferenceIsUsedOnce() {
        String collected = collected("9");
        String reference = UUID.randomUUID().toString();
        spec("disbursement", reference, null).body(refund("2", collected)).post("/disbursement/v1_0/refund")
                .then().statusCode(202);
        spec("disbursement", reference, null).body(refund("2", collected)).post("/disbursement/v1_0/refund")
                .then().statusCode(409).body("code", equalTo("RESOURCE_ALREADY_EXIST"));
        spec("disbursement", reference, null).body(refund("3", collected)).post("/disbursement/v2_0/refund")
                .then().statusCode(409);
        assertThat(rows(reference)).isEqualTo(1);
    }

    @Test
    void concurrentRefundsOfOneCollectionNeverAddUpToMoreThanItCollected() throws Exception {
        String collected = collected("20");
        BigDecimal before = balance("disbursement");
        int attempts = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
        List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < attempts; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return spec("disbursement", UUID.randomUUID().toString(), null).body(refund("6", collected))
                        .post("/disbursement/v1_0/refund").then().extract().statusCode();
            }));
        }
        go.countDown();
        int accepted = 0;
        for (java.util.concurrent.Future<Integer> answer : answers) {
            int status = answer.get();
            assertThat(status).isIn(202, 400);
            accepted += status == 202 ? 1 : 0;
        }
        pool.shutdown();
        // 6 + 6 + 6 fit in 20; a fourth would not.
        assertThat(accepted).isEqualTo(3);
        BigDecimal expected = before.subtract(new BigDecimal("18"));
        await().atMost(FINAL).untilAsserted(() -> assertThat(balance("disbursement")).isEqualByComparingTo(expected));
    }

    static Map<String, Object> refund(String amount, String referenceIdToRefund) {
        Map<String, Object> body = new HashMap<>();
        body.put("amount", amount);
        body.put("currency", "EUR");
        body.put("externalId", "refund-1");
        body.put("payerMessage", "sorry");
        body.put("payeeNote", "refund");
        body.put("referenceIdToRefund", referenceIdToRefund);
        return body;
    }

    // ------------------------------------------------------------- remittance

    @Test
    void aRemittanceTransferIsPaidFromTheWalletAndSeenOnlyUnderRemittance() {
        BigDecimal before = balance("remittance");
        String reference = UUID.randomUUID().toString();
        spec("remittance", reference, null).body(body("30", "payee", "46733123403"))
                .post("/remittance/v1_0/transfer").then().statusCode(202);
        assertThat(awaitFinal("remittance", "v1_0/transfer", reference)).isEqualTo("SUCCESSFUL");
        assertThat(balance("remittance")).isEqualByComparingTo(before.subtract(new BigDecimal("30")));
        momo.disbursement().get("/disbursement/v1_0/transfer/" + reference).then().statusCode(404);
        momo.remittance().get("/remittance/v1_0/accountholder/msisdn/46733123403/active").then().statusCode(200)
                .body("result", equalTo(true));
        // A remittance token is not a disbursement token.
        given().baseUri(gateway.baseUrl()).header("Ocp-Apim-Subscription-Key", momo.subscriptionKey())
                .header("Authorization", "Bearer " + momo.token("disbursement")).header("X-Target-Environment", "sandbox")
                .get("/remittance/v1_0/transfer/" + reference).then().statusCode(401);
    }

    // ------------------------------------------------------------- service-provider payment

    @Test
    void aServiceProviderPaymentIsPaidFromTheWalletWithItsOwnStatusObject() {
        BigDecimal before = balance("collection");
        String reference = UUID.randomUUID().toString();
        Map<String, Object> payment = new HashMap<>();
        payment.put("externalTransactionId", "bill-778");
        payment.put("money", Map.of("amount", "4.25", "currency", "EUR"));
        payment.put("customerReference", "46733123404");
        payment.put("serviceProviderUserName", "power-company");
        payment.put("receiverMessage", "electricity");
        payment.put("senderNote", "token for meter 12");
        spec("collection", reference, receiverUrl("/payment")).body(payment).post("/collection/v2_0/payment")
                .then().statusCode(202);
        assertThat(awaitFinal("collection", "v2_0/payment", reference)).isEqualTo("SUCCESSFUL");
        momo.collection().get("/collection/v2_0/payment/" + reference).then().statusCode(200)
                .body("referenceId", equalTo(reference)).body("financialTransactionId", notNullValue());
        assertThat(balance("collection")).isEqualByComparingTo(before.subtract(new BigDecimal("4.25")));
        await().atMost(FINAL).until(() -> !receiver.findAll(anyRequestedFor(anyUrl())).isEmpty());
        receiver.verify(1, postRequestedFor(urlEqualTo("/payment"))
                .withRequestBody(matchingJsonPath("$.referenceId", WireMock.equalTo(reference))));

        payment.put("money", Map.of("amount", "4.25", "currency", "UGX"));
        spec("collection", UUID.randomUUID().toString(), null).body(payment).post("/collection/v2_0/payment")
                .then().statusCode(400).body("code", equalTo("INVALID_CURRENCY"))
                .body("message", containsString("money.currency"));
        payment.remove("money");
        spec("collection", UUID.randomUUID().toString(), null).body(payment).post("/collection/v2_0/payment")
                .then().statusCode(400).body("message", containsString("money"));
    }

    // ------------------------------------------------------------- delivery notification

    @Test
    void aDeliveryNotificationReachesThePayersHandsetOnlyAfterSuccess() {
        String paid = collected("6");
        momo.collection().header("notificationMessage", "Your ticket number is 4417")
                .post("/collection/v1_0/requesttopay/" + paid + "/deliverynotification").then().statusCode(200);
        momo.disbursement().body(Map.of("notificationMessage", "Parcel 88 leaves today"))
                .post("/disbursement/v1_0/requesttopay/" + paid + "/deliverynotification").then().statusCode(200);
        List<String> texts = given().baseUri(gateway.baseUrl()).get("/sandbox/handsets/" + CUSTOMER + "/sms")
                .then().statusCode(200).extract().path("text");
        assertThat(texts).contains("Your ticket number is 4417", "Parcel 88 leaves today");

        String pending = UUID.randomUUID().toString();
        spec("collection", pending, null).body(body("6", "payer", "46733123453")).post("/collection/v1_0/requesttopay")
                .then().statusCode(202);
        momo.collection().header("notificationMessage", "too early")
                .post("/collection/v1_0/requesttopay/" + pending + "/deliverynotification").then().statusCode(409)
                .body("code", equalTo("NOT_ALLOWED"));
        momo.collection().post("/collection/v1_0/requesttopay/" + paid + "/deliverynotification").then()
                .statusCode(400).body("message", containsString("notificationMessage"));
        momo.collection().header("notificationMessage", "x".repeat(161))
                .post("/collection/v1_0/requesttopay/" + paid + "/deliverynotification").then().statusCode(400);
        momo.collection().header("notificationMessage", "hello")
                .post("/collection/v1_0/requesttopay/" + UUID.randomUUID() + "/deliverynotification").then()
                .statusCode(404);
    }

    // ------------------------------------------------------------- balances

    @Test
    void theBalanceInAGivenCurrencyIsTheEnvironmentsOrRefused() {
        BigDecimal eur = balance("collection");
        BigDecimal inEur = new BigDecimal(momo.collection().get("/collection/v1_0/account/balance/EUR").then()
                .statusCode(200).body("currency", equalTo("EUR")).extract().<String>path("availableBalance"));
        assertThat(inEur).isEqualByComparingTo(eur);
        momo.collection().get("/collection/v1_0/account/balance/UGX").then().statusCode(400)
                .body("code", equalTo("INVALID_CURRENCY"));
        momo.product("collection", "mtnuganda").get("/collection/v1_0/account/balance/UGX").then().statusCode(200)
                .body("currency", equalTo("UGX"));
    }

    static int rows(String clientRef) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE client_ref = :r")
                .bind("r", clientRef).mapTo(Integer.class).one());
    }
}
