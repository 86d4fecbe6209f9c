package io.kulipa.dialects.momo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.kulipa.dialects.momo.credentials.GrantingSubscriptionKeys;
import io.kulipa.dialects.momo.store.JdbiMomoCredentialStore;
import io.kulipa.payments.Accounting;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.store.JdbiLedgerStore;
import io.kulipa.store.JdbiMerchantStore;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13's MoMo defects, end to end: every refused body answers MoMo's ErrorReason with a
 * message naming the field, and writes nothing.
 */
class MomoHardeningTest {

    static final String PAYER = "46733123499";
    static final String VOUCHERS = "/disbursement/v2_0/voucher";

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();
    static MomoClient momo;

    @BeforeAll
    static void provision() {
        momo = MomoClient.provision(gateway.get(), "127.0.0.1");
    }

    static String requestToPay(String amount, String externalId, String payerMessage, String partyId) {
        return "{\"amount\": " + amount + ", \"currency\": \"EUR\", \"externalId\": " + externalId
                + ", \"payer\": {\"partyIdType\": \"MSISDN\", \"partyId\": " + partyId + "}, \"payerMessage\": "
                + payerMessage + ", \"payeeNote\": \"note\"}";
    }

    static Response post(RequestSpecification spec, String reference, String body) {
        return spec.header("X-Reference-Id", reference).body(body.getBytes(StandardCharsets.UTF_8))
                .post("/collection/v1_0/requesttopay");
    }

    static long payments(String reference) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE client_ref = ?")
                .bind(0, reference).mapTo(Long.class).one());
    }

    /** Answers 400 BAD_REQUEST naming {@code field}, and leaves no payment behind. */
    static void refused(String body, String field) {
        String reference = UUID.randomUUID().toString();
        post(momo.collection(), reference, body).then().statusCode(400).body("code", equalTo("BAD_REQUEST"))
                .body("message", startsWith(field));
        assertThat(payments(reference)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e309", "-1e309"})
    void defect1NumbersOutOfRangeAreRefusedInEveryField(String huge) {
        refused(requestToPay(huge, "\"e1\"", "\"m\"", "\"" + PAYER + "\""), "amount: ");
        refused(requestToPay("\"5\"", huge, "\"m\"", "\"" + PAYER + "\""), "externalId: ");
        refused(requestToPay("\"5\"", "\"e1\"", huge, "\"" + PAYER + "\""), "payerMessage: ");
        refused(requestToPay("\"5\"", "\"e1\"", "\"m\"", huge), "payer.partyId: ");
        Agent agent = agent("100");
        String reference = UUID.randomUUID().toString();
        agent.call().header("X-Reference-Id", reference).body(voucherWithFirstName(huge)).post(VOUCHERS).then()
                .statusCode(400).body("code", equalTo("BAD_REQUEST")).body("message", startsWith("receiver.firstName: "));
        assertThat(vouchers(reference)).isZero();
        agent.call().body("{\"useCase\": " + huge + "}").post(VOUCHERS + "/123456/OTP").then().statusCode(400)
                .body("code", equalTo("BAD_REQUEST")).body("message", startsWith("useCase: "));
    }

    @Test
    void defect2NulCharactersAreRefusedNamingTheField() {
        String nul = "\"a\\u0000b\"";
        refused(requestToPay("\"5\"", nul, "\"m\"", "\"" + PAYER + "\""), "externalId: ");
        refused(requestToPay("\"5\"", "\"e1\"", nul, "\"" + PAYER + "\""), "payerMessage: ");
        refused(requestToPay("\"5\"", "\"e1\"", "\"m\"", "\"4673312\\u00003499\""), "payer.partyId: ");
        refused(requestToPay("\"5\"", "\"e1\"", "\"\\ud800\"", "\"" + PAYER + "\""), "payerMessage: ");
    }

    @Test
    void defect5CancellingWithABodyThatIsNotJsonCancelsNothing() {
        Agent creator = agent("100");
        String reference = UUID.randomUUID().toString();
        String receiver = MomoVouchersTest.msisdn();
        creator.call().header("X-Reference-Id", reference)
                .body(MomoVouchersTest.voucher("30", receiver, null)).post(VOUCHERS).then().statusCode(202);
        String token = fromSms(receiver);
        assertThat(creator.balance()).isEqualByComparingTo("70");
        for (String body : List.of("not json", "{", "null", "[\"otp\"]", "{\"otp\": \"1\\u0000\"}")) {
            creator.call().body(body.getBytes(StandardCharsets.UTF_8)).delete(VOUCHERS + "/" + token).then()
                    .statusCode(400).body("code", equalTo("BAD_REQUEST"));
        }
        creator.call().contentType(ContentType.TEXT).body("{}").delete(VOUCHERS + "/" + token).then()
                .statusCode(400).body("message", startsWith("Content-Type: "));
        assertThat(creator.balance()).isEqualByComparingTo("70");
        creator.call().get(VOUCHERS + "/" + reference).then().statusCode(200).body("status", equalTo("SUCCESSFUL"));
        creator.call().delete(VOUCHERS + "/" + token).then().statusCode(202);
        assertThat(creator.balance()).isEqualByComparingTo("100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"15\\u0000\"", "\"15\\n\"", "\" 15\"", "\"15 \"", "1e2", "1.5e1", "15.000"})
    void defect6AmountsAreReadExactlyAsWritten(String amount) {
        refused(requestToPay(amount, "\"e1\"", "\"m\"", "\"" + PAYER + "\""), "amount: ");
    }

    @Test
    void defect6NumbersAreKeptAsWrittenAndJsonMustSayItIsJson() {
        String reference = UUID.randomUUID().toString();
        post(momo.collection(), reference, requestToPay("15.50", "\"e1\"", "\"m\"", "\"" + PAYER + "\""))
                .then().statusCode(202);
        String stored = gateway.jdbi().withHandle(h -> h.createQuery("SELECT amount_text FROM payment WHERE client_ref = ?")
                .bind(0, reference).mapTo(String.class).one());
        assertThat(stored).isEqualTo("15.50");
        String plain = UUID.randomUUID().toString();
        post(momo.collection().contentType(ContentType.TEXT), plain,
                requestToPay("\"5\"", "\"e1\"", "\"m\"", "\"" + PAYER + "\"")).then().statusCode(400)
                .body("code", equalTo("BAD_REQUEST")).body("message", containsString("application/json"));
        assertThat(payments(plain)).isZero();
    }

    static String voucherWithFirstName(String firstName) {
        return "{\"externalId\": \"ext-1\", \"receiver\": {\"msisdn\": \"" + MomoVouchersTest.msisdn()
                + "\", \"firstName\": " + firstName + ", \"surname\": \"Mensah\"}, "
                + "\"money\": {\"amount\": \"10\", \"currency\": \"EUR\"}, \"message\": \"fees\"}";
    }

    static long vouchers(String reference) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM momo_voucher WHERE reference_id = ?")
                .bind(0, reference).mapTo(Long.class).one());
    }

    static String fromSms(String msisdn) {
        List<String> texts = gateway.anonymous().get("/sandbox/handsets/" + msisdn + "/sms").then().statusCode(200)
                .extract().jsonPath().getList("text", String.class);
        return texts.stream().map(MomoVouchersTest.TOKEN::matcher).filter(java.util.regex.Matcher::find)
                .map(m -> m.group(1)).findFirst().orElseThrow();
    }

    /** A merchant with its own subscription key, API user, disbursement token and funds. */
    record Agent(String key, String token) {
        RequestSpecification call() {
            return given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                    .header("Ocp-Apim-Subscription-Key", key).header("Authorization", "Bearer " + token)
                    .header("X-Target-Environment", "sandbox");
        }

        BigDecimal balance() {
            return new BigDecimal(call().get("/disbursement/v1_0/account/balance").then().statusCode(200)
                    .extract().<String>path("availableBalance"));
        }
    }

    static Agent agent(String funds) {
        UUID id = new OnboardingMerchant(new JdbiMerchantStore(gateway.jdbi()))
                .onboard("Hardening agent " + UUID.randomUUID(), Set.of(), Map.of(), null).merchant().id();
        String key = new GrantingSubscriptionKeys(new JdbiMomoCredentialStore(gateway.jdbi())).grantAll(id, null);
        String user = UUID.randomUUID().toString();
        given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON).header("Ocp-Apim-Subscription-Key", key)
                .header("X-Reference-Id", user).body(Map.of("providerCallbackHost", "127.0.0.1"))
                .post("/v1_0/apiuser").then().statusCode(201);
        String apiKey = given().baseUri(gateway.baseUrl()).header("Ocp-Apim-Subscription-Key", key)
                .post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(201).extract().path("apiKey");
        String token = given().baseUri(gateway.baseUrl()).header("Ocp-Apim-Subscription-Key", key)
                .header("Authorization", "Basic " + MomoClient.basic(user, apiKey))
                .post("/disbursement/token/").then().statusCode(200).extract().path("access_token");
        new JdbiLedgerStore(gateway.jdbi()).apply(null, List.of(Accounting.opening(id, "XMS", "EUR",
                new BigDecimal(funds))));
        return new Agent(key, token);
    }
}
