package io.kulipa.dialects.momo;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MoMo invoices end to end over HTTP: the merchant creates, looks up and cancels them on
 * /collection/v2_0/invoice; the intended payer pays from the sandbox handset with the PIN,
 * which makes a core deposit that credits the merchant's wallet without a second prompt.
 * The simulated operators run in manual approval, so any prompt would stay open.
 */
class MomoInvoicesTest {

    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    // The merchant's pawaPay callback URL must hear nothing of an invoice's deposit.
    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.withSettings(() -> Map.of(
            "KULIPA_SANDBOX_APPROVAL", "manual",
            "KULIPA_SANDBOX_APPROVAL_DELAY", "200ms",
            "KULIPA_BOOTSTRAP_CALLBACK_URL", "http://127.0.0.1:" + receiver.port() + "/pawapay"));
    static MomoClient client;

    @BeforeAll
    static void provision() {
        client = MomoClient.provision(gateway.get(), "127.0.0.1");
    }

    static String receiverUrl(String path) {
        return receiver.url(path);
    }

    static Map<String, Object> invoice(String amount, String payer, String validitySeconds) {
        Map<String, Object> body = new HashMap<>();
        body.put("externalId", "INV-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("amount", amount);
        body.put("currency", "EUR");
        body.put("validityDuration", validitySeconds);
        body.put("intendedPayer", MomoClient.msisdn(payer));
        body.put("payee", MomoClient.msisdn("46733123999"));
        body.put("description", "Water bill March");
        return body;
    }

    static Response create(String reference, Map<String, Object> body, String callbackUrl) {
        RequestSpecification spec = client.collection().header("X-Reference-Id", reference);
        return (callbackUrl == null ? spec : spec.header("X-Callback-Url", callbackUrl)).body(body)
                .post("/collection/v2_0/invoice");
    }

    static String status(String reference) {
        return client.collection().get("/collection/v2_0/invoice/" + reference).then().statusCode(200)
                .extract().path("status");
    }

    static String invoiceId(String reference) {
        return client.collection().get("/collection/v2_0/invoice/" + reference).then().statusCode(200)
                .extract().path("invoiceId");
    }

    static Response pay(String payer, String invoiceId, String pin) {
        return gateway.anonymous().body(Map.of("pin", pin))
                .post("/sandbox/handsets/" + payer + "/invoices/" + invoiceId + "/pay");
    }

    static Response cancel(String reference, String externalId) {
        return client.collection().header("X-Reference-Id", UUID.randomUUID().toString())
                .body(Map.of("externalId", externalId)).delete("/collection/v2_0/invoice/" + reference);
    }

    static BigDecimal merchantBalance() {
        return new BigDecimal(client.collection().get("/collection/v1_0/account/balance").then().statusCode(200)
                .extract().<String>path("availableBalance"));
    }

    static long deposits(String invoiceId) {
        return gateway.jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM payment WHERE kind = 'DEPOSIT' AND client_ref LIKE :r")
                .bind("r", "invoice:" + invoiceId + ":%").mapTo(Long.class).one());
    }

    static List<Map<String, Object>> callbackAttempts(String invoiceId) {
        return gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT url, http_status, error FROM callback_attempt
                        WHERE subject_kind = 'momo-invoice' AND subject_id = :i ORDER BY id""")
                .bind("i", invoiceId).mapToMap().list());
    }

    static List<String> history(String invoiceId) {
        return gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT to_status FROM momo_invoice_event WHERE invoice_id = CAST(:i AS uuid) ORDER BY id""")
                .bind("i", invoiceId).mapTo(String.class).list());
    }

    // ---------------------------------------------------------------- the happy path

    @Test
    void anInvoiceIsShownOnTheHandsetPaidWithThePinAndCreditsTheMerchantOnceCalledBackWithPost() {
        String payer = "46733123471";
        String reference = UUID.randomUUID().toString();
        Map<String, Object> body = invoice("12.50", payer, "3600");
        BigDecimal before = merchantBalance();
        create(reference, body, receiverUrl("/invoice/callback")).then().statusCode(202).body(emptyString());

        client.collection().get("/collection/v2_0/invoice/" + reference).then().statusCode(200)
                .body("referenceId", equalTo(reference)).body("externalId", equalTo(body.get("externalId")))
                .body("amount", equalTo("12.50")).body("currency", equalTo("EUR"))
                .body("status", equalTo("PENDING")).body("paymentReference", notNullValue())
                .body("invoiceId", notNullValue()).body("expiryDateTime", notNullValue())
                .body("intendedPayer.partyIdType", equalTo("MSISDN")).body("intendedPayer.partyId", equalTo(payer))
                .body("description", equalTo("Water bill March")).body("errorReason", nullValue());
        String invoiceId = invoiceId(reference);

        gateway.anonymous().get("/sandbox/handsets/" + payer + "/invoices").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].invoiceId", equalTo(invoiceId)).body("[0].amount", equalTo("12.50"))
                .body("[0].message", containsString("Water bill March"));

        pay(payer, invoiceId, "1234").then().statusCode(200).body("result", equalTo("DONE"));
        // Already approved with the PIN: no prompt, even though this operator waits for manual approval.
        gateway.anonymous().get("/sandbox/handsets/" + payer + "/prompts").then().body("$", hasSize(0));

        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESSFUL".equals(status(reference)));
        assertThat(merchantBalance()).isEqualByComparingTo(before.add(new BigDecimal("12.50")));
        assertThat(deposits(invoiceId)).isEqualTo(1);
        gateway.anonymous().get("/sandbox/handsets/" + payer + "/invoices").then().body("$", hasSize(0));

        await().atMost(Duration.ofSeconds(10)).until(() -> !callbackAttempts(invoiceId).isEmpty());
        receiver.verify(1, postRequestedFor(urlEqualTo("/invoice/callback"))
                .withHeader("Content-Type", WireMock.equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("SUCCESSFUL")))
                .withRequestBody(matchingJsonPath("$.referenceId", WireMock.equalTo(reference)))
                .withRequestBody(matchingJsonPath("$.invoiceId", WireMock.equalTo(invoiceId))));
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
        assertThat(callbackAttempts(invoiceId)).singleElement()
                .satisfies(a -> assertThat(a.get("http_status")).isEqualTo(200));
        assertThat(history(invoiceId)).containsExactly("PENDING", "PAYING", "SUCCESSFUL");
        await().atMost(Duration.ofSeconds(10)).until(() -> !depositWebhookUrls().isEmpty());
        assertThat(depositWebhookUrls()).as("the deposit's webhook is never aimed at another dialect's URL")
                .containsOnlyNulls();
    }

    @Test
    void aWrongPinPaysNothingAndTheInvoiceStaysPayable() {
        String payer = "46733123472";
        String reference = UUID.randomUUID().toString();
        create(reference, invoice("3", payer, "3600"), null).then().statusCode(202);
        String invoiceId = invoiceId(reference);

        pay(payer, invoiceId, "9999").then().statusCode(403).body("errorMessage", containsString("Wrong PIN"));
        assertThat(status(reference)).isEqualTo("PENDING");
        assertThat(deposits(invoiceId)).isZero();
        // Another handset cannot pay it.
        pay("46733123473", invoiceId, "1234").then().statusCode(404);

        pay(payer, invoiceId, "1234").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESSFUL".equals(status(reference)));
    }

    @Test
    void aFailedDepositLeavesTheInvoicePendingSoThePayerCanTryAgain() {
        String payer = "46733123474";
        gateway.anonymous().body(Map.of("balance", "1")).put("/sandbox/handsets/" + payer + "/wallet")
                .then().statusCode(200);
        String reference = UUID.randomUUID().toString();
        create(reference, invoice("20", payer, "3600"), receiverUrl("/invoice/retry")).then().statusCode(202);
        String invoiceId = invoiceId(reference);

        pay(payer, invoiceId, "1234").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> history(invoiceId).size() == 3);
        assertThat(history(invoiceId)).containsExactly("PENDING", "PAYING", "PENDING");
        assertThat(status(reference)).isEqualTo("PENDING");
        assertThat(callbackAttempts(invoiceId)).isEmpty();

        gateway.anonymous().body(Map.of("balance", "100")).put("/sandbox/handsets/" + payer + "/wallet")
                .then().statusCode(200);
        pay(payer, invoiceId, "1234").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESSFUL".equals(status(reference)));
        assertThat(deposits(invoiceId)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !callbackAttempts(invoiceId).isEmpty());
        receiver.verify(1, postRequestedFor(urlEqualTo("/invoice/retry")));
    }

    @Test
    void twoConcurrentPaysMakeOneDeposit() throws Exception {
        String payer = "46733123475";
        String reference = UUID.randomUUID().toString();
        create(reference, invoice("7", payer, "3600"), null).then().statusCode(202);
        String invoiceId = invoiceId(reference);
        BigDecimal before = merchantBalance();

        int taps = 8;
        ExecutorService pool = Executors.newFixedThreadPool(taps);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < taps; i++) {
            calls.add(() -> pay(payer, invoiceId, "1234").statusCode());
        }
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
            codes.add(f.get());
        }
        pool.shutdown();
        assertThat(codes).containsOnly(200, 409);
        assertThat(codes.stream().filter(c -> c == 200)).hasSize(1);

        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESSFUL".equals(status(reference)));
        assertThat(deposits(invoiceId)).isEqualTo(1);
        assertThat(merchantBalance()).isEqualByComparingTo(before.add(new BigDecimal("7")));
        pay(payer, invoiceId, "1234").then().statusCode(409).body("errorMessage", containsString("paid already"));
    }

    // ---------------------------------------------------------------- cancel and expiry

    @Test
    void aCancelledInvoiceCannotBePaidAndIsCalledBackOnce() {
        String payer = "46733123476";
        String reference = UUID.randomUUID().toString();
        Map<String, Object> body = invoice("4", payer, "3600");
        create(reference, body, receiverUrl("/invoice/cancelled")).then().statusCode(202);
        String invoiceId = invoiceId(reference);

        client.collection().header("X-Reference-Id", UUID.randomUUID().toString())
                .body(Map.of("externalId", "not-it")).delete("/collection/v2_0/invoice/" + reference)
                .then().statusCode(400).body("message", containsString("externalId"));
        cancel(reference, (String) body.get("externalId")).then().statusCode(202).body(emptyString());
        assertThat(status(reference)).isEqualTo("CANCELLED");

        pay(payer, invoiceId, "1234").then().statusCode(409).body("errorMessage", containsString("cancelled"));
        gateway.anonymous().get("/sandbox/handsets/" + payer + "/invoices").then().body("$", hasSize(0));
        assertThat(deposits(invoiceId)).isZero();
        cancel(reference, (String) body.get("externalId")).then().statusCode(409).body("code", equalTo("NOT_ALLOWED"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !callbackAttempts(invoiceId).isEmpty());
        receiver.verify(1, postRequestedFor(urlEqualTo("/invoice/cancelled"))
                .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("CANCELLED"))));
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void aPaidInvoiceCannotBeCancelled() {
        String payer = "46733123477";
        String reference = UUID.randomUUID().toString();
        Map<String, Object> body = invoice("2", payer, "3600");
        create(reference, body, null).then().statusCode(202);
        pay(payer, invoiceId(reference), "1234").then().statusCode(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCESSFUL".equals(status(reference)));

        cancel(reference, (String) body.get("externalId")).then().statusCode(409).body("code", equalTo("NOT_ALLOWED"))
                .body("message", containsString("SUCCESSFUL"));
        assertThat(status(reference)).isEqualTo("SUCCESSFUL");
    }

    @Test
    void aCancelReferenceCannotBeReused() {
        String reference = UUID.randomUUID().toString();
        Map<String, Object> body = invoice("2", "46733123478", "3600");
        create(reference, body, null).then().statusCode(202);
        String cancelReference = UUID.randomUUID().toString();
        client.collection().header("X-Reference-Id", cancelReference).body(Map.of("externalId", body.get("externalId")))
                .delete("/collection/v2_0/invoice/" + reference).then().statusCode(202);
        client.collection().header("X-Reference-Id", cancelReference).body(Map.of("externalId", body.get("externalId")))
                .delete("/collection/v2_0/invoice/" + reference).then().statusCode(409)
                .body("code", equalTo("RESOURCE_ALREADY_EXIST"));
    }

    @Test
    void anInvoicePastItsValidityFailsAsExpiredAndCannotBePaid() {
        String payer = "46733123479";
        String reference = UUID.randomUUID().toString();
        create(reference, invoice("5", payer, "1"), receiverUrl("/invoice/expired")).then().statusCode(202);
        String invoiceId = invoiceId(reference);

        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(status(reference)));
        client.collection().get("/collection/v2_0/invoice/" + reference).then()
                .body("errorReason.code", equalTo("EXPIRED"));
        pay(payer, invoiceId, "1234").then().statusCode(409).body("errorMessage", containsString("expired"));
        assertThat(deposits(invoiceId)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> !callbackAttempts(invoiceId).isEmpty());
        receiver.verify(1, postRequestedFor(urlEqualTo("/invoice/expired"))
                .withRequestBody(matchingJsonPath("$.status", WireMock.equalTo("FAILED"))));
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void aReusedReferenceIsAConflictAndNeverASecondInvoice() {
        String reference = UUID.randomUUID().toString();
        create(reference, invoice("2", "46733123480", "3600"), null).then().statusCode(202);
        create(reference, invoice("2", "46733123480", "3600"), null).then().statusCode(409)
                .body("code", equalTo("RESOURCE_ALREADY_EXIST"));
        // Even with a body that would be refused.
        create(reference, Map.of("amount", "x"), null).then().statusCode(409);
        long rows = gateway.jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM momo_invoice WHERE reference_id = CAST(:r AS uuid)")
                .bind("r", reference).mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void anotherCurrencyIsInvalidCurrency() {
        Map<String, Object> body = invoice("2", "46733123481", "3600");
        body.put("currency", "UGX");
        create(UUID.randomUUID().toString(), body, null).then().statusCode(400)
                .body("code", equalTo("INVALID_CURRENCY")).body("message", containsString("currency"));
    }

    @Test
    void validationMessagesNameTheField() {
        Map<String, String> broken = new java.util.LinkedHashMap<>();
        broken.put("externalId", null);
        broken.put("amount", "-1");
        broken.put("validityDuration", "soon");
        broken.put("intendedPayer", null);
        broken.put("payee", null);
        for (Map.Entry<String, String> e : broken.entrySet()) {
            Map<String, Object> body = invoice("2", "46733123482", "3600");
            if (e.getValue() == null) {
                body.remove(e.getKey());
            } else {
                body.put(e.getKey(), e.getValue());
            }
            create(UUID.randomUUID().toString(), body, null).then().statusCode(400)
                    .body("code", equalTo("BAD_REQUEST")).body("message", containsString(e.getKey() + ":"));
        }
        Map<String, Object> badPayer = invoice("2", "12", "3600");
        create(UUID.randomUUID().toString(), badPayer, null).then().statusCode(400)
                .body("code", equalTo("PAYER_NOT_FOUND")).body("message", containsString("intendedPayer.partyId"));
        client.collection().body(invoice("2", "46733123482", "3600")).post("/collection/v2_0/invoice")
                .then().statusCode(400).body("message", containsString("X-Reference-Id"));
        client.collection().get("/collection/v2_0/invoice/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("RESOURCE_NOT_FOUND"));
    }

    @Test
    void aCallbackUrlOnAnotherHostIsRefusedAndNothingIsSent() {
        String reference = UUID.randomUUID().toString();
        create(reference, invoice("2", "46733123483", "3600"), "http://example.com/callback").then().statusCode(400)
                .body("code", equalTo("INVALID_CALLBACK_URL_HOST"));
        client.collection().get("/collection/v2_0/invoice/" + reference).then().statusCode(404);
        assertThat(receiver.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    /** The URLs the core's webhook attempts for invoice deposits were aimed at. */
    static java.util.List<String> depositWebhookUrls() {
        return gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT a.url FROM callback_attempt a JOIN payment p ON p.id = a.payment_id
                        WHERE p.dialect = 'momo-invoice'""").mapTo(String.class).list());
    }
}
