package io.kulipa.dialects.momo;

import io.kulipa.payments.Secrets;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MoMo's request to pay, transfer, balance and account holder endpoints over HTTP against a
 * whole gateway, called the way MoMo's client libraries call them: a sandbox API user, an
 * access token per product, X-Reference-Id, X-Target-Environment and X-Callback-Url.
 */
class MomoPaymentsTest {

    static final String PAYER = "46733123499";
    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    // The merchant's pawaPay callback URL must never receive MoMo callbacks.
    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.withSettings(() -> Map.of(
            "KULIPA_SANDBOX_APPROVAL_DELAY", "1s",
            "KULIPA_BOOTSTRAP_CALLBACK_URL", receiverUrl("/pawapay")));
    static String key;
    static String apiUser;
    static String collectionToken;
    static String disbursementToken;

    @BeforeAll
    static void provision() {
        MomoClient client = MomoClient.provision(gateway.get(), "127.0.0.1");
        key = client.subscriptionKey();
        apiUser = client.apiUser();
        collectionToken = client.token("collection");
        disbursementToken = client.token("disbursement");
    }

    static String receiverUrl(String path) {
        return receiver.url(path);
    }

    static RequestSpecification momo() {
        return given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Ocp-Apim-Subscription-Key", key);
    }

    static String token(String product, String apiKey) {
        String basic = Base64.getEncoder().encodeToString((apiUser + ":" + apiKey).getBytes(StandardCharsets.UTF_8));
        return momo().header("Authorization", "Basic " + basic).post("/" + product + "/token/")
                .then().statusCode(200).extract().path("access_token");
    }

    static RequestSpecification collection(String environment) {
        return momo().header("Authorization", "Bearer " + collectionToken).header("X-Target-Environment", environment);
    }

    static RequestSpecification disbursement(String environment) {
        return momo().header("Authorization", "Bearer " + disbursementToken).header("X-Target-Environment", environment);
    }

    static Map<String, Object> requestToPay(String amount, String currency, String msisdn) {
        Map<String, Object> body = new HashMap<>();
        body.put("amount", amount);
        body.put("currency", currency);
        body.put("externalId", "6353636");
        body.put("payer", Map.of("partyIdType", "MSISDN", "partyId", msisdn));
        body.put("payerMessage", "Pay for product a");
        body.put("payeeNote", "payer note");
        return body;
    }

    static Map<String, Object> transfer(String amount, String currency, String msisdn) {
        Map<String, Object> body = requestToPay(amount, currency, msisdn);
        body.put("payee", body.remove("payer"));
        return body;
    }

    static Response pay(String reference, Map<String, Object> body, String callbackUrl) {
        RequestSpecification spec = collection("sandbox").header("X-Reference-Id", reference);
        return (callbackUrl == null ? spec : spec.header("X-Callback-Url", callbackUrl)).body(body)
                .post("/collection/v1_0/requesttopay");
    }

    static String rtpStatus(String reference) {
        return collection("sandbox").get("/collection/v1_0/requesttopay/" + reference).then().statusCode(200)
                .extract().path("status");
    }

    static BigDecimal balance(String product, String environment) {
        RequestSpecification spec = product.equals("collection") ? collection(environment) : disbursement(environment);
        return new BigDecimal(spec.get("/" + product + "/v1_0/account/balance").then().statusCode(200)
                .extract().<String>path("availableBalance"));
    }

    private List<Map<String, Object>> attempts(String reference) {
        return gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT a.http_status, a.error, a.url FROM callback_attempt a
                        JOIN payment p ON p.id = a.payment_id WHERE p.client_ref = :r ORDER BY a.id""")
                .bind("r", reference).mapToMap().list());
    }

    // ---------------------------------------------------------------- request to pay

    @Test
    void aRequestToPayIsAcceptedThenPendingThenSuccessfulAndCalledBackOnceWithPut() {
        String reference = UUID.randomUUID().toString();
        pay(reference, requestToPay("5.50", "EUR", PAYER), receiverUrl("/momo/callback"))
                .then().statusCode(202).body(emptyString());

        collection("sandbox").get("/collection/v1_0/requesttopay/" + reference).then().statusCode(200)
                .body("status", equalTo("PENDING")).body("amount", equalTo("5.50")).body("currency", equalTo("EUR"))
                .body("externalId", equalTo("6353636")).body("payer.partyIdType", equalTo("MSISDN"))
                .body("payer.partyId", equalTo(PAYER)).body("payerMessage", equalTo("Pay for product a"))
                .body("payeeNote", equalTo("payer note")).body("financialTransactionId", nullValue())
                .body("reason", nullValue());

        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESSFUL".equals(rtpStatus(reference)));
        String financialTransactionId = collection("sandbox").get("/collection/v1_0/requesttopay/" + reference)
                .then().body("financialTransactionId", notNullValue()).extract().path("financialTransactionId");

        await().atMost(Duration.ofSeconds(15)).until(() -> !receiver.findAll(
                putRequestedFor(urlEqualTo("/momo/callback"))).isEmpty());
        receiver.verify(1, putRequestedFor(urlEqualTo("/momo/callback"))
                .withHeader("Content-Type", WireMock.equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("SUCCESSFUL")))
                .withRequestBody(matchingJsonPath("$.financialTransactionId",
                        WireMock.equalTo(financialTransactionId)))
                .withRequestBody(matchingJsonPath("$.payer.partyId", WireMock.equalTo(PAYER)))
                .withRequestBody(matchingJsonPath("$.externalId", WireMock.equalTo("6353636"))));
        // Nothing else was sent: no POST, no second PUT, nothing to the pawaPay URL.
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "46733123450, INTERNAL_PROCESSING_ERROR", "46733123451, APPROVAL_REJECTED", "46733123452, EXPIRED",
            "46733123455, PAYER_NOT_FOUND", "46733123456, PAYEE_NOT_ALLOWED_TO_RECEIVE", "46733123457, NOT_ALLOWED",
            "46733123458, NOT_ALLOWED_TARGET_ENVIRONMENT", "46733123459, INVALID_CALLBACK_URL_HOST",
            "46733123460, INVALID_CURRENCY", "46733123461, INTERNAL_PROCESSING_ERROR",
            "46733123462, SERVICE_UNAVAILABLE", "46733123463, COULD_NOT_PERFORM_TRANSACTION"})
    void sandboxTestNumbersFailWithMomosReasons(String msisdn, String reason) {
        String reference = UUID.randomUUID().toString();
        pay(reference, requestToPay("10", "EUR", msisdn), null).then().statusCode(202);
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> "FAILED".equals(rtpStatus(reference)));
        collection("sandbox").get("/collection/v1_0/requesttopay/" + reference).then().statusCode(200)
                .body("reason", equalTo(reason));
        String transferReference = UUID.randomUUID().toString();
        disbursement("sandbox").header("X-Reference-Id", transferReference).body(transfer("10", "EUR", msisdn))
                .post("/disbursement/v1_0/transfer").then().statusCode(202);
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> "FAILED".equals(disbursement("sandbox")
                .get("/disbursement/v1_0/transfer/" + transferReference).then().extract().path("status")));
    }

    @Test
    void theOngoingAndDelayedTestNumbersStayPending() throws Exception {
        String ongoing = UUID.randomUUID().toString();
        String delayed = UUID.randomUUID().toString();
        pay(ongoing, requestToPay("10", "EUR", "46733123453"), null).then().statusCode(202);
        pay(delayed, requestToPay("10", "EUR", "46733123454"), null).then().statusCode(202);
        Thread.sleep(1_000);
        assertThat(rtpStatus(ongoing)).isEqualTo("PENDING");
        assertThat(rtpStatus(delayed)).isEqualTo("PENDING");
    }

    @Test
    void aCallbackThatFailsIsNotRetried() {
        receiver.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        String reference = UUID.randomUUID().toString();
        pay(reference, requestToPay("3", "EUR", PAYER), receiverUrl("/momo/flaky")).then().statusCode(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> !attempts(reference).isEmpty());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> attempts(reference).size() == 1);
        assertThat(attempts(reference).getFirst().get("http_status")).isEqualTo(500);
        assertThat(receiver.findAll(putRequestedFor(urlEqualTo("/momo/flaky")))).hasSize(1);
    }

    @Test
    void withoutACallbackUrlNothingIsSentNotEvenToTheMerchantsOwnUrl() {
        String reference = UUID.randomUUID().toString();
        pay(reference, requestToPay("2", "EUR", PAYER), null).then().statusCode(202);

        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESSFUL".equals(rtpStatus(reference)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> receiver.findAll(anyRequestedFor(anyUrl())).isEmpty());
    }

    @Test
    void aCallbackUrlOnAnotherHostThanTheApiUsersIsRefusedAndNothingIsCreated() {
        String reference = UUID.randomUUID().toString();
        pay(reference, requestToPay("5", "EUR", PAYER), "http://localhost:" + receiver.port() + "/momo")
                .then().statusCode(400).body("code", equalTo("INVALID_CALLBACK_URL_HOST"))
                .body("message", containsString("X-Callback-Url"));
        pay(reference, requestToPay("5", "EUR", PAYER), "ftp://127.0.0.1/momo")
                .then().statusCode(400).body("code", equalTo("INVALID_CALLBACK_URL_HOST"));
        collection("sandbox").get("/collection/v1_0/requesttopay/" + reference).then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
    }

    @Test
    void aReusedReferenceIsAConflictAndNeverASecondPayment() {
        String reference = UUID.randomUUID().toString();
        pay(reference, requestToPay("4", "EUR", PAYER), null).then().statusCode(202);
        pay(reference, requestToPay("4", "EUR", PAYER), null).then().statusCode(409)
                .body("code", equalTo("RESOURCE_ALREADY_EXIST"));
        pay(reference, requestToPay("400", "EUR", PAYER), null).then().statusCode(409);
        pay(reference, Map.of("amount", "nonsense"), null).then().statusCode(409);
        Integer count = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM payment WHERE client_ref = :r").bind("r", reference).mapTo(Integer.class).one());
        assertThat(count).isEqualTo(1);
        collection("sandbox").get("/collection/v1_0/requesttopay/" + reference).then().statusCode(200)
                .body("amount", equalTo("4"));
    }

    @Test
    void anUnknownReferenceIsNotFound() {
        collection("sandbox").get("/collection/v1_0/requesttopay/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
        disbursement("sandbox").get("/disbursement/v1_0/transfer/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
    }

    @Test
    void badRequestsGetMomosCodesNamingTheField() {
        pay(UUID.randomUUID().toString(), requestToPay("5", "UGX", PAYER), null).then().statusCode(400)
                .body("code", equalTo("INVALID_CURRENCY")).body("message", containsString("currency"));
        pay(UUID.randomUUID().toString(), requestToPay("5.555", "EUR", PAYER), null).then().statusCode(400)
                .body("code", equalTo("BAD_REQUEST")).body("message", containsString("amount"));
        pay(UUID.randomUUID().toString(), requestToPay("5", "EUR", "256772123456"), null).then().statusCode(400)
                .body("code", equalTo("PAYER_NOT_FOUND")).body("message", containsString("payer.partyId"));
        Map<String, Object> email = requestToPay("5", "EUR", PAYER);
        email.put("payer", Map.of("partyIdType", "EMAIL", "partyId", "a@b.c"));
        pay(UUID.randomUUID().toString(), email, null).then().statusCode(400)
                .body("message", containsString("payer.partyIdType"));
        collection("sandbox").body(requestToPay("5", "EUR", PAYER)).post("/collection/v1_0/requesttopay")
                .then().statusCode(400).body("message", containsString("X-Reference-Id"));
        collection("mtnnowhere").header("X-Reference-Id", UUID.randomUUID().toString())
                .body(requestToPay("5", "EUR", PAYER)).post("/collection/v1_0/requesttopay")
                .then().statusCode(403).body("code", equalTo("NOT_ALLOWED_TARGET_ENVIRONMENT"));
    }

    @Test
    void aNationalEnvironmentUsesItsOwnCorrespondentAndCurrency() {
        String reference = UUID.randomUUID().toString();
        collection("mtnzambia").header("X-Reference-Id", reference).body(requestToPay("15", "ZMW", "260763000001"))
                .post("/collection/v1_0/requesttopay").then().statusCode(202);
        collection("mtnzambia").get("/collection/v1_0/requesttopay/" + reference).then().statusCode(200)
                .body("currency", equalTo("ZMW"));
        // The same reference is not a payment of the sandbox environment.
        collection("sandbox").get("/collection/v1_0/requesttopay/" + reference).then().statusCode(404);
    }

    // ---------------------------------------------------------------- transfers and balance

    @Test
    void aTransferDebitsTheMerchantsWalletAndSucceeds() {
        BigDecimal before = balance("disbursement", "mtnghana");
        String reference = UUID.randomUUID().toString();
        disbursement("mtnghana").header("X-Reference-Id", reference).body(transfer("25.50", "GHS", "233241234567"))
                .post("/disbursement/v1_0/transfer").then().statusCode(202).body(emptyString());

        assertThat(balance("disbursement", "mtnghana")).isEqualByComparingTo(before.subtract(new BigDecimal("25.50")));
        assertThat(balance("collection", "mtnghana")).isEqualByComparingTo(before.subtract(new BigDecimal("25.50")));
        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESSFUL".equals(disbursement("mtnghana")
                .get("/disbursement/v1_0/transfer/" + reference).then().statusCode(200).extract().path("status")));
        disbursement("mtnghana").get("/disbursement/v1_0/transfer/" + reference).then()
                .body("payee.partyId", equalTo("233241234567")).body("amount", equalTo("25.50"))
                .body("financialTransactionId", notNullValue()).body("payer", nullValue());
        assertThat(balance("disbursement", "mtnghana")).isEqualByComparingTo(before.subtract(new BigDecimal("25.50")));
        disbursement("mtnghana").header("X-Reference-Id", reference).body(transfer("25.50", "GHS", "233241234567"))
                .post("/disbursement/v1_0/transfer").then().statusCode(409);
    }

    @Test
    void aTransferOverTheWalletFailsWithNotEnoughFunds() {
        // Rwanda: no other test moves money there, and its payout limit is above the opening balance.
        BigDecimal before = balance("disbursement", "mtnrwanda");
        String reference = UUID.randomUUID().toString();
        disbursement("mtnrwanda").header("X-Reference-Id", reference)
                .body(transfer(before.add(BigDecimal.ONE).toPlainString(), "RWF", "250781234567"))
                .post("/disbursement/v1_0/transfer").then().statusCode(202);
        disbursement("mtnrwanda").get("/disbursement/v1_0/transfer/" + reference).then().statusCode(200)
                .body("status", equalTo("FAILED")).body("reason", equalTo("NOT_ENOUGH_FUNDS"))
                .body("financialTransactionId", nullValue());
        assertThat(balance("disbursement", "mtnrwanda")).isEqualByComparingTo(before);
    }

    @Test
    void theSandboxBalanceIsInEuros() {
        disbursement("sandbox").get("/disbursement/v1_0/account/balance").then().statusCode(200)
                .body("currency", equalTo("EUR")).body("availableBalance", notNullValue());
    }

    @Test
    void anAccountHolderIsActiveWhenItIsANumberOfTheEnvironment() {
        collection("sandbox").get("/collection/v1_0/accountholder/msisdn/" + PAYER + "/active").then()
                .statusCode(200).body("result", equalTo(true));
        disbursement("mtnuganda").get("/disbursement/v1_0/accountholder/msisdn/256772123456/active").then()
                .statusCode(200).body("result", equalTo(true));
        collection("sandbox").get("/collection/v1_0/accountholder/msisdn/256772123456/active").then()
                .statusCode(200).body("result", equalTo(false));
        collection("sandbox").get("/collection/v1_0/accountholder/nickname/bob/active").then().statusCode(400);
    }

    // ---------------------------------------------------------------- credentials

    @Test
    void wrongOrExpiredOrForeignTokensAreRefusedWithTheGatewaysAnswer() {
        momo().header("Authorization", "Bearer not-a-token").header("X-Target-Environment", "sandbox")
                .get("/collection/v1_0/account/balance").then().statusCode(401)
                .body("statusCode", equalTo(401)).body("message", containsString("invalid access token"));
        // A disbursement token does not open collection.
        momo().header("Authorization", "Bearer " + disbursementToken).header("X-Target-Environment", "sandbox")
                .get("/collection/v1_0/account/balance").then().statusCode(401);
        given().baseUri(gateway.baseUrl()).header("Authorization", "Bearer " + collectionToken)
                .header("X-Target-Environment", "sandbox").get("/collection/v1_0/account/balance").then()
                .statusCode(401).body("message", containsString("missing subscription key"));

        String apiKey = momo().post("/v1_0/apiuser/" + apiUser + "/apikey").then().statusCode(201)
                .extract().path("apiKey");
        String expiring = token("collection", apiKey);
        gateway.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE momo_access_token SET issued_at = now() - interval '2 hours',
                        expires_at = now() - interval '1 hour' WHERE token_digest = :d""")
                .bind("d", Secrets.digest(expiring)).execute());
        momo().header("Authorization", "Bearer " + expiring).header("X-Target-Environment", "sandbox")
                .header("X-Reference-Id", UUID.randomUUID().toString()).body(requestToPay("5", "EUR", PAYER))
                .post("/collection/v1_0/requesttopay").then().statusCode(401)
                .body("message", containsString("expired access token"));
    }
}
