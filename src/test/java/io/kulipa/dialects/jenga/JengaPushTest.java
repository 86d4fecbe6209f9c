package io.kulipa.dialects.jenga;

import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.providers.simulator.SimulatedOperators;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.TestGateway;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The push of the spec over HTTP, signed as Jenga's guide says: the spec's example accepted as
 * written, the signature checked (good, tampered, another merchant's key), every field rule with
 * a message naming the field, the answers of the spec's table, and a reference used once only,
 * even under 50 concurrent requests.
 */
class JengaPushTest {

    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.withSettings(JengaClient.SETTINGS);
    static JengaClient client;
    static String callback;

    @BeforeAll
    static void start() {
        callback = CallbackReceiver.url(receiver, "/jenga");
        client = new JengaClient(gateway.get());
    }

    static Map<String, Object> body() {
        return JengaClient.body(JengaClient.ref(), "254764555291", "5.00", callback);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> with(String object, String field, Object value) {
        Map<String, Object> body = body();
        Map<String, Object> part = new LinkedHashMap<>((Map<String, Object>) body.get(object));
        if (value == null) {
            part.remove(field);
        } else {
            part.put(field, value);
        }
        body.put(object, part);
        return body;
    }

    static long payments(String ref) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE client_ref = :r")
                .bind("r", ref).mapTo(Long.class).one());
    }

    @SuppressWarnings("unchecked")
    static String ref(Map<String, Object> body) {
        return (String) ((Map<String, Object>) body.get("payment")).get("ref");
    }

    @Test
    void theSpecsExampleRequestIsAcceptedAsWritten() {
        Map<String, Object> body = JengaClient.body("MPS3883889822982", "254764555291", "5.00", callback);
        client.push(body).then().statusCode(200)
                .body("status", equalTo(true)).body("code", equalTo(-1))
                .body("message", equalTo("Transaction has been successfully acknowledged, await final transaction "
                        + "status on callback"))
                .body("reference", equalTo("MPS3883889822982")).body("transactionId", equalTo("MPS3883889822982"));
        assertThat(payments("MPS3883889822982")).isEqualTo(1);
        String row = gateway.jdbi().withHandle(h -> h.createQuery("SELECT dialect || ' ' || correspondent || ' ' || "
                + "amount_text || ' ' || currency FROM payment WHERE client_ref = 'MPS3883889822982'")
                .mapTo(String.class).one());
        assertThat(row).isEqualTo("jenga EQUITEL_KEN 5.00 KES");
    }

    @Test
    void aMissingOrTamperedSignatureOrAnotherMerchantsKeyIs401NamingTheSignature() {
        Map<String, Object> body = body();
        client.push(body, null).then().statusCode(401).body("status", equalTo(false)).body("code", equalTo(401101))
                .body("message", containsString("Signature"));
        String good = JengaClient.sign(JengaClient.demoKey(gateway.get()), JengaClient.signedText(body));
        Map<String, Object> tampered = with("payment", "amount", "500.00");
        ((Map<String, Object>) tampered.get("payment")).put("ref", ref(body));
        client.push(tampered, good).then().statusCode(401).body("code", equalTo(401101))
                .body("message", containsString("Signature"));
        String foreign = JengaClient.sign(JengaClient.otherKeyPair().getPrivate(), JengaClient.signedText(body));
        client.push(body, foreign).then().statusCode(401).body("code", equalTo(401101));
        client.push(body, "bm90IGEgc2lnbmF0dXJl").then().statusCode(401).body("code", equalTo(401101));
        assertThat(payments(ref(body))).isZero();
        client.push(body, good).then().statusCode(200).body("code", equalTo(-1));
    }

    static List<Arguments> invalidFields() {
        return List.of(
                Arguments.of("merchant", "countryCode", "UG", "merchant.countryCode"),
                Arguments.of("merchant", "countryCode", null, "merchant.countryCode"),
                Arguments.of("merchant", "accountNumber", "9999999999", "merchant.accountNumber"),
                Arguments.of("merchant", "accountNumber", null, "merchant.accountNumber"),
                Arguments.of("merchant", "name", "", "merchant.name"),
                Arguments.of("merchant", "name", null, "merchant.name"),
                Arguments.of("payment", "ref", "ABC12", "payment.ref"),
                Arguments.of("payment", "ref", "ABC-123456", "payment.ref"),
                Arguments.of("payment", "ref", "A".repeat(21), "payment.ref"),
                Arguments.of("payment", "mobileNumber", "0764555291", "payment.mobileNumber"),
                Arguments.of("payment", "mobileNumber", "+254764555291", "payment.mobileNumber"),
                Arguments.of("payment", "mobileNumber", null, "payment.mobileNumber"),
                Arguments.of("payment", "telco", "Orange", "payment.telco"),
                Arguments.of("payment", "telco", null, "payment.telco"),
                Arguments.of("payment", "amount", "5.001", "payment.amount"),
                Arguments.of("payment", "amount", "0", "payment.amount"),
                Arguments.of("payment", "amount", "-5", "payment.amount"),
                Arguments.of("payment", "amount", "five", "payment.amount"),
                Arguments.of("payment", "amount", "1000000", "payment.amount"),
                Arguments.of("payment", "currency", "USD", "payment.currency"),
                Arguments.of("payment", "currency", "", "payment.currency"),
                Arguments.of("payment", "date", "13-08-2024", "payment.date"),
                Arguments.of("payment", "date", "2024-02-30", "payment.date"),
                Arguments.of("payment", "callBackUrl", "ftp://example.com/cb", "payment.callBackUrl"),
                Arguments.of("payment", "callBackUrl", "http://10.0.0.7/cb", "payment.callBackUrl"),
                Arguments.of("payment", "callBackUrl", null, "payment.callBackUrl"),
                Arguments.of("payment", "pushType", "SMS", "payment.pushType"),
                Arguments.of("payment", "pushType", null, "payment.pushType"));
    }

    @ParameterizedTest(name = "{3} = {2}")
    @MethodSource("invalidFields")
    void everyFieldRuleIs400NamingTheField(String object, String field, Object value, String named) {
        Map<String, Object> body = with(object, field, value);
        client.push(body).then().statusCode(400).body("status", equalTo(false)).body("code", equalTo(400100))
                .body("message", containsString(named));
        assertThat(payments(ref(body))).isZero();
    }

    @Test
    void aUssdPushAndANumericAmountAreAccepted() {
        client.push(with("payment", "pushType", "USSD")).then().statusCode(200).body("code", equalTo(-1));
        Map<String, Object> numeric = with("payment", "amount", 12.5);
        client.push(numeric).then().statusCode(200).body("code", equalTo(-1));
        String amount = gateway.jdbi().withHandle(h -> h.createQuery("SELECT amount_text || ' ' || amount::text FROM payment "
                + "WHERE client_ref = :r").bind("r", ref(numeric)).mapTo(String.class).one());
        assertThat(amount).isEqualTo("12.5 12.5000");
    }

    @Test
    void aPushWithoutCurrencyAsTheSpecsFieldTableHasItIsTakenInShillings() {
        Map<String, Object> body = with("payment", "currency", null);
        client.push(body).then().statusCode(200).body("code", equalTo(-1));
        String currency = gateway.jdbi().withHandle(h -> h.createQuery("SELECT currency FROM payment "
                + "WHERE client_ref = :r").bind("r", ref(body)).mapTo(String.class).one());
        assertThat(currency).isEqualTo("KES");
    }

    @Test
    void aSafaricomPushIsAnMpesaDepositWithMpesasRules() {
        Map<String, Object> body = JengaClient.body(JengaClient.ref(), "254712345678", "5.00", callback);
        ((Map<String, Object>) body.get("payment")).put("telco", "Safaricom");
        client.push(body).then().statusCode(200).body("code", equalTo(-1));
        String correspondent = gateway.jdbi().withHandle(h -> h.createQuery("SELECT correspondent FROM payment "
                + "WHERE client_ref = :r").bind("r", ref(body)).mapTo(String.class).one());
        assertThat(correspondent).isEqualTo("MPESA_KEN");
        Map<String, Object> cents = JengaClient.body(JengaClient.ref(), "254712345678", "5.50", callback);
        ((Map<String, Object>) cents.get("payment")).put("telco", "safaricom");
        client.push(cents).then().statusCode(400).body("code", equalTo(400100))
                .body("message", containsString("payment.amount"));
    }

    @Test
    void airtelIs401NotAuthorisedForThisTelco() {
        for (String telco : List.of("Airtel", "AIRTEL")) {
            Map<String, Object> body = with("payment", "telco", telco);
            client.push(body).then().statusCode(401).body("status", equalTo(false)).body("code", equalTo(106401))
                    .body("message", equalTo("Not Authorized to access this Telco, Kindly contact support@finserve.africa"));
            assertThat(payments(ref(body))).isZero();
        }
    }

    @Test
    void aReferenceUsedBeforeIs400101WhateverTheBodyAndNeverASecondPayment() {
        Map<String, Object> body = body();
        client.push(body).then().statusCode(200);
        Consumer<Response> duplicate = r -> r.then().statusCode(400).body("status", equalTo(false))
                .body("code", equalTo(400101)).body("message", equalTo("Transaction with the same reference already exists"));
        duplicate.accept(client.push(body));
        Map<String, Object> other = with("payment", "amount", "99.00");
        ((Map<String, Object>) other.get("payment")).put("ref", ref(body));
        duplicate.accept(client.push(other));
        Map<String, Object> invalid = with("payment", "date", "yesterday");
        ((Map<String, Object>) invalid.get("payment")).put("ref", ref(body));
        duplicate.accept(client.push(invalid));
        assertThat(payments(ref(body))).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentRequestsWithOneReferenceMakeOnePayment() throws Exception {
        Map<String, Object> body = body();
        String signature = JengaClient.sign(JengaClient.demoKey(gateway.get()), JengaClient.signedText(body));
        client.token();
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(() -> client.push(body, signature).then().extract().path("code"));
        }
        List<Integer> codes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                codes.add(f.get());
            }
        }
        assertThat(codes).containsOnly(-1, 400101);
        assertThat(codes.stream().filter(c -> c == -1).count()).isEqualTo(1);
        assertThat(payments(ref(body))).isEqualTo(1);
    }

    @Test
    void anOperatorOutageIs200With106201AndNothingWritten() {
        SimulatedOperators sim = gateway.kulipa().simulator();
        Map<String, Object> body = body();
        sim.knobs("EQUITEL_KEN", new SimulatedOperators.Knobs(true, false));
        try {
            client.push(body).then().statusCode(200).body("status", equalTo(false)).body("code", equalTo(106201))
                    .body("message", containsString("Failed to initiate push"));
            assertThat(payments(ref(body))).isZero();
        } finally {
            sim.knobs("EQUITEL_KEN", new SimulatedOperators.Knobs(false, false));
        }
        // The same reference works once the operator is back.
        client.push(body).then().statusCode(200).body("code", equalTo(-1));
    }

    @Test
    void anUnexpectedFailureIs500ErrorLoadingServiceAndWritesNothing() {
        Map<String, Object> body = body();
        gateway.jdbi().useHandle(h -> h.execute("ALTER TABLE jenga_account RENAME TO jenga_account_away"));
        try {
            client.push(body).then().statusCode(500).body("status", equalTo(false)).body("code", equalTo(106500))
                    .body("message", equalTo("Error loading service"));
        } finally {
            gateway.jdbi().useHandle(h -> h.execute("ALTER TABLE jenga_account_away RENAME TO jenga_account"));
        }
        assertThat(payments(ref(body))).isZero();
        client.push(body).then().statusCode(200).body("code", equalTo(-1));
    }

    @Test
    void equitelIsNotOneOfPawapaysCorrespondents() {
        gateway.postDeposit(TestGateway.deposit("EQUITEL_KEN", "KES", "254764555291", "15")).then().statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionMessage", containsString("correspondent"));
        String activeConf = gateway.merchant().get("/active-conf").then().statusCode(200).extract().asString();
        assertThat(activeConf).contains("MPESA_KEN").doesNotContain("EQUITEL_KEN");
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        io.restassured.RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .header("Authorization", "Bearer " + client.token()).header("Signature", "x").body("[1,2")
                .post(JengaRoutes.PUSH).then().statusCode(400).body("code", equalTo(400102));
    }
}
