package io.kulipa.dialects.momo;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.kulipa.payments.Accounting;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.dialects.momo.credentials.GrantingSubscriptionKeys;
import io.kulipa.store.JdbiLedgerStore;
import io.kulipa.store.JdbiMerchantStore;
import io.kulipa.dialects.momo.store.JdbiMomoCredentialStore;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MoMo vouchers over HTTP against a whole gateway: an agent creates a voucher, the receiver's
 * virtual handset gets the token and secret by SMS, another agent redeems it, and the money
 * moves exactly once through the ledger; cancel, OTPs, attempt bounds, idempotency and callbacks.
 */
class MomoVouchersTest {

    static final String BASE = "/disbursement/v2_0/voucher";
    static final Pattern TOKEN = Pattern.compile("Voucher token: (\\d+)");
    static final Pattern SECRET = Pattern.compile("secret: (\\d+)");
    static final Pattern OTP = Pattern.compile("password to \\w+ voucher \\d+ is (\\d+)");

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();
    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    static JdbiLedgerStore ledger;

    /** A merchant (agent) with its own MoMo subscription key, API user and disbursement token. */
    record Agent(UUID id, String key, String token, String apiUser) {
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

    @BeforeAll
    static void openLedger() {
        ledger = new JdbiLedgerStore(gateway.jdbi());
    }

    static Agent agent(String funds) {
        OnboardingMerchant onboarding = new OnboardingMerchant(new JdbiMerchantStore(gateway.jdbi()));
        UUID id = onboarding.onboard("Voucher agent " + UUID.randomUUID(), Set.of(), Map.of(), null).merchant().id();
        String key = new GrantingSubscriptionKeys(new JdbiMomoCredentialStore(gateway.jdbi())).grantAll(id, null);
        String user = UUID.randomUUID().toString();
        RequestSpecification keyed = given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Ocp-Apim-Subscription-Key", key);
        keyed.header("X-Reference-Id", user).body(Map.of("providerCallbackHost", "127.0.0.1"))
                .post("/v1_0/apiuser").then().statusCode(201);
        String apiKey = given().baseUri(gateway.baseUrl()).header("Ocp-Apim-Subscription-Key", key)
                .post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(201).extract().path("apiKey");
        String token = given().baseUri(gateway.baseUrl()).header("Ocp-Apim-Subscription-Key", key)
                .header("Authorization", "Basic " + MomoClient.basic(user, apiKey))
                .post("/disbursement/token/").then().statusCode(200).extract().path("access_token");
        if (new BigDecimal(funds).signum() > 0) {
            ledger.apply(null, List.of(Accounting.opening(id, "XMS", "EUR", new BigDecimal(funds))));
        }
        return new Agent(id, key, token, user);
    }

    static String msisdn() {
        return "46" + (100_000_000 + ThreadLocalRandom.current().nextInt(899_999_999));
    }

    static Map<String, Object> voucher(String amount, String receiverMsisdn, String senderMsisdn) {
        Map<String, Object> body = new HashMap<>();
        body.put("externalId", "ext-1");
        body.put("receiver", Map.of("msisdn", receiverMsisdn, "firstName", "Ama", "surname", "Mensah"));
        if (senderMsisdn != null) {
            body.put("sender", Map.of("msisdn", senderMsisdn, "firstName", "Kofi", "surname", "Boateng",
                    "identificationType", "PASS", "identification", "G1234567"));
        }
        body.put("money", Map.of("amount", amount, "currency", "EUR"));
        body.put("message", "school fees");
        return body;
    }

    static Response create(Agent a, String reference, Map<String, Object> body) {
        return a.call().header("X-Reference-Id", reference).body(body).post(BASE);
    }

    /** The newest SMS of a handset that matches, its first group. */
    static String fromSms(String msisdn, Pattern pattern) {
        List<String> texts = gateway.anonymous().get("/sandbox/handsets/" + msisdn + "/sms").then().statusCode(200)
                .extract().jsonPath().getList("text", String.class);
        for (String text : texts) {
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no SMS matching " + pattern + " on " + msisdn + ": " + texts);
    }

    /** A created voucher: its reference, receiver, token and secret as the receiver's SMS told them. */
    record Created(String reference, String receiverMsisdn, String token, String secret) {
    }

    static Created created(Agent creator, String amount, String senderMsisdn) {
        String reference = UUID.randomUUID().toString();
        String to = msisdn();
        create(creator, reference, voucher(amount, to, senderMsisdn)).then().statusCode(202);
        return new Created(reference, to, fromSms(to, TOKEN), fromSms(to, SECRET));
    }

    static Response redeem(Agent a, String token, Map<String, String> body) {
        return a.call().body(body).post(BASE + "/" + token + "/redeem");
    }

    static void assertLedgerSound() {
        assertThat(ledger.verify()).isEmpty();
    }

    @Test
    void createOtpRedeemMovesTheMoneyExactly() {
        Agent creator = agent("500.00");
        Agent redeemer = agent("0");
        Created v = created(creator, "120.50", null);
        assertThat(creator.balance()).isEqualByComparingTo("379.50");
        creator.call().get(BASE + "/" + v.reference()).then().statusCode(200)
                .body("referenceId", equalTo(v.reference())).body("voucherToken", equalTo(v.token()))
                .body("status", equalTo("SUCCESSFUL")).body("money.amount", equalTo("120.5"))
                .body("money.currency", equalTo("EUR")).body("receiver.msisdn", equalTo(v.receiverMsisdn()))
                .body("externalId", equalTo("ext-1")).body("secret", equalTo(null))
                .body("createdAt", notNullValue());

        redeemer.call().body(Map.of("useCase", "redeem")).get(BASE + "/" + v.token() + "/OTP").then()
                .statusCode(200).body("status", equalTo("GENERATED")).body("expiresAt", notNullValue());
        String otp = fromSms(v.receiverMsisdn(), OTP);
        redeem(redeemer, v.token(), Map.of("otp", otp)).then().statusCode(202);

        assertThat(redeemer.balance()).isEqualByComparingTo("120.50");
        assertThat(creator.balance()).isEqualByComparingTo("379.50");
        creator.call().get(BASE + "/" + v.reference()).then().statusCode(200).body("status", equalTo("REDEEMED"));
        // The OTP is single-use.
        redeem(redeemer, v.token(), Map.of("otp", otp)).then().statusCode(409).body("code", equalTo("NOT_ALLOWED"));
        assertLedgerSound();
        List<String> events = gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT e.event FROM momo_voucher_event e JOIN momo_voucher v ON v.id = e.voucher_id
                        WHERE v.token = :t ORDER BY e.id""").bind("t", v.token()).mapTo(String.class).list());
        assertThat(events).containsExactly("CREATED", "OTP_SENT", "REDEEMED");
    }

    @Test
    void aSecondRedeemIsRefusedAndTheMoneyMovesOnce() {
        Agent creator = agent("100");
        Agent redeemer = agent("0");
        Created v = created(creator, "40", null);
        redeem(redeemer, v.token(), Map.of("secret", v.secret())).then().statusCode(202);
        redeem(redeemer, v.token(), Map.of("secret", v.secret())).then().statusCode(409)
                .body("code", equalTo("NOT_ALLOWED"));
        redeem(agent("0"), v.token(), Map.of("secret", v.secret())).then().statusCode(409);
        assertThat(redeemer.balance()).isEqualByComparingTo("40");
        assertThat(creator.balance()).isEqualByComparingTo("60");
        assertLedgerSound();
    }

    @Test
    void concurrentRedeemsMoveTheMoneyOnce() throws Exception {
        Agent creator = agent("100");
        List<Agent> redeemers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            redeemers.add(agent("0"));
        }
        Created v = created(creator, "75", null);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (Agent r : redeemers) {
            calls.add(() -> redeem(r, v.token(), Map.of("secret", v.secret())).statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(calls.size() - 1);
        BigDecimal paid = BigDecimal.ZERO;
        for (Agent r : redeemers) {
            paid = paid.add(r.balance());
        }
        assertThat(paid).isEqualByComparingTo("75");
        assertThat(creator.balance()).isEqualByComparingTo("25");
        assertLedgerSound();
    }

    @Test
    void cancelReturnsTheMoneyAndNothingAfterItWorks() {
        Agent creator = agent("100");
        Created v = created(creator, "30", null);
        assertThat(creator.balance()).isEqualByComparingTo("70");
        // Only the creator may cancel.
        agent("0").call().delete(BASE + "/" + v.token()).then().statusCode(404);
        creator.call().delete(BASE + "/" + v.token()).then().statusCode(202);
        assertThat(creator.balance()).isEqualByComparingTo("100");
        creator.call().get(BASE + "/" + v.reference()).then().body("status", equalTo("CANCELLED"));
        creator.call().delete(BASE + "/" + v.token()).then().statusCode(409).body("code", equalTo("NOT_ALLOWED"));
        Agent redeemer = agent("0");
        redeem(redeemer, v.token(), Map.of("secret", v.secret())).then().statusCode(409);
        assertThat(redeemer.balance()).isEqualByComparingTo("0");
        assertThat(creator.balance()).isEqualByComparingTo("100");
        assertLedgerSound();
    }

    @Test
    void cancelAfterRedeemIsRefused() {
        Agent creator = agent("100");
        Agent redeemer = agent("0");
        Created v = created(creator, "10", null);
        redeem(redeemer, v.token(), Map.of("secret", v.secret())).then().statusCode(202);
        creator.call().delete(BASE + "/" + v.token()).then().statusCode(409).body("code", equalTo("NOT_ALLOWED"));
        assertThat(creator.balance()).isEqualByComparingTo("90");
        assertThat(redeemer.balance()).isEqualByComparingTo("10");
        assertLedgerSound();
    }

    @Test
    void aCashVoucherIsCancelledWithTheSendersOtp() {
        Agent creator = agent("100");
        String sender = msisdn();
        Created v = created(creator, "50", sender);
        creator.call().get(BASE + "/" + v.reference()).then().body("sender.msisdn", equalTo(sender))
                .body("sender.identificationType", equalTo("PASS"));
        creator.call().delete(BASE + "/" + v.token()).then().statusCode(400).body("code", equalTo("BAD_REQUEST"));
        creator.call().body(Map.of("useCase", "cancel")).post(BASE + "/" + v.token() + "/OTP").then().statusCode(200);
        String otp = fromSms(sender, OTP);
        creator.call().body(Map.of("otp", otp.equals("000000") ? "111111" : "000000"))
                .delete(BASE + "/" + v.token()).then().statusCode(400).body("code", equalTo("APPROVAL_REJECTED"));
        // The wrong guess burnt that OTP: a new one is needed.
        creator.call().queryParam("useCase", "cancel").get(BASE + "/" + v.token() + "/OTP").then().statusCode(200);
        String second = fromSms(sender, OTP);
        creator.call().queryParam("otp", second).delete(BASE + "/" + v.token()).then().statusCode(202);
        assertThat(creator.balance()).isEqualByComparingTo("100");
        assertLedgerSound();
    }

    @Test
    void wrongSecretsAreBoundedThenTheVoucherIsLocked() {
        Agent creator = agent("100");
        Agent redeemer = agent("0");
        Created v = created(creator, "20", null);
        for (int i = 1; i < 5; i++) {
            redeem(redeemer, v.token(), Map.of("secret", "wrong" + i)).then().statusCode(400)
                    .body("code", equalTo("APPROVAL_REJECTED"));
        }
        redeem(redeemer, v.token(), Map.of("secret", "wrong5")).then().statusCode(409)
                .body("code", equalTo("NOT_ALLOWED"));
        redeem(redeemer, v.token(), Map.of("secret", v.secret())).then().statusCode(409);
        assertThat(redeemer.balance()).isEqualByComparingTo("0");
        creator.call().get(BASE + "/" + v.reference()).then().body("status", equalTo("LOCKED"));
        // Its creator may still take the money back.
        creator.call().delete(BASE + "/" + v.token()).then().statusCode(202);
        assertThat(creator.balance()).isEqualByComparingTo("100");
        assertLedgerSound();
    }

    @Test
    void anExpiredOtpIsRefused() {
        Agent creator = agent("100");
        Agent redeemer = agent("0");
        Created v = created(creator, "5", null);
        redeemer.call().body(Map.of("useCase", "redeem")).post(BASE + "/" + v.token() + "/OTP").then().statusCode(200);
        String otp = fromSms(v.receiverMsisdn(), OTP);
        gateway.jdbi().useHandle(h -> h.execute("UPDATE momo_voucher_otp SET expires_at = now() - interval '1 second'"
                + " WHERE voucher_id = (SELECT id FROM momo_voucher WHERE token = ?)", v.token()));
        redeem(redeemer, v.token(), Map.of("otp", otp)).then().statusCode(400).body("code", equalTo("EXPIRED"));
        assertThat(redeemer.balance()).isEqualByComparingTo("0");
    }

    @Test
    void aReusedReferenceIsAConflictAndNeverASecondVoucher() {
        Agent creator = agent("100");
        String reference = UUID.randomUUID().toString();
        create(creator, reference, voucher("10", msisdn(), null)).then().statusCode(202);
        create(creator, reference, voucher("10", msisdn(), null)).then().statusCode(409)
                .body("code", equalTo("RESOURCE_ALREADY_EXIST"));
        create(creator, reference, Map.of("nonsense", true)).then().statusCode(409);
        assertThat(creator.balance()).isEqualByComparingTo("90");
    }

    @Test
    void badRequestsMoveNoMoney() {
        Agent creator = agent("100");
        Map<String, Object> kwacha = voucher("10", msisdn(), null);
        kwacha.put("money", Map.of("amount", "10", "currency", "ZMW"));
        create(creator, UUID.randomUUID().toString(), kwacha).then().statusCode(400)
                .body("code", equalTo("INVALID_CURRENCY"));
        create(creator, UUID.randomUUID().toString(), voucher("100.01", msisdn(), null)).then().statusCode(400)
                .body("code", equalTo("NOT_ENOUGH_FUNDS"));
        create(creator, UUID.randomUUID().toString(), voucher("10", "260971234567", null)).then().statusCode(400)
                .body("code", equalTo("PAYEE_NOT_FOUND"));
        creator.call().body(voucher("10", msisdn(), null)).post(BASE).then().statusCode(400);
        assertThat(creator.balance()).isEqualByComparingTo("100");
        assertLedgerSound();
    }

    @Test
    void unknownVouchersAreNotFound() {
        Agent a = agent("0");
        a.call().get(BASE + "/" + UUID.randomUUID()).then().statusCode(404).body("code", equalTo("RESOURCE_NOT_FOUND"));
        a.call().get(BASE + "/not-a-uuid").then().statusCode(404);
        redeem(a, "999999999999", Map.of("secret", "1234")).then().statusCode(404);
        a.call().delete(BASE + "/999999999999").then().statusCode(404);
        a.call().body(Map.of("useCase", "redeem")).get(BASE + "/999999999999/OTP").then().statusCode(404);
        // Someone else's voucher is not found by reference either.
        Created v = created(agent("10"), "1", null);
        a.call().get(BASE + "/" + v.reference()).then().statusCode(404);
    }

    @Test
    void theCallbackHostRuleAndTheFinalStateCallback() {
        Agent creator = agent("100");
        String reference = UUID.randomUUID().toString();
        creator.call().header("X-Reference-Id", reference).header("X-Callback-Url", "https://elsewhere.example/cb")
                .body(voucher("10", msisdn(), null)).post(BASE).then().statusCode(400)
                .body("code", equalTo("INVALID_CALLBACK_URL_HOST"));
        String to = msisdn();
        creator.call().header("X-Reference-Id", reference)
                .header("X-Callback-Url", "http://127.0.0.1:" + receiver.port() + "/voucher-cb")
                .body(voucher("10", to, null)).post(BASE).then().statusCode(202);
        String token = fromSms(to, TOKEN);
        redeem(agent("0"), token, Map.of("secret", fromSms(to, SECRET))).then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> receiver.verify(1,
                postRequestedFor(urlEqualTo("/voucher-cb")).withRequestBody(matchingJsonPath("$.status",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("REDEEMED")))
                        .withRequestBody(matchingJsonPath("$.referenceId",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo(reference)))));
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM callback_attempt a JOIN momo_voucher v ON v.id::text = a.subject_id
                        WHERE a.subject_kind = 'momo-voucher' AND v.reference_id = :r AND a.http_status = 200""").bind("r", reference)
                .mapTo(Integer.class).one()) == 1);
        // The callback went out once and carried no secret.
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/voucher-cb")))).hasSize(1)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).doesNotContain("secret"));
    }

    @Test
    void theCollectionProductServesVouchersToo() {
        MomoClient demo = MomoClient.provision(gateway.get(), "127.0.0.1");
        String reference = UUID.randomUUID().toString();
        demo.collection().header("X-Reference-Id", reference).body(voucher("1", msisdn(), null))
                .post("/collection/v2_0/voucher").then().statusCode(202);
        demo.collection().get("/collection/v2_0/voucher/" + reference).then().statusCode(200)
                .body("status", equalTo("SUCCESSFUL"));
        // A collection token is not a disbursement token: the product's own credentials are needed.
        demo.collection().get("/disbursement/v2_0/voucher/" + reference).then().statusCode(401);
    }
}
