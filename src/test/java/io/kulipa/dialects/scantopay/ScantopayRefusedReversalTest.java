package io.kulipa.dialects.scantopay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.kulipa.dialects.scantopay.notifications.ReversingUnacknowledgedPurchase;
import io.kulipa.dialects.scantopay.notifications.SweepingUnacknowledgedPurchases;
import io.kulipa.dialects.scantopay.store.JdbiScantopayStore;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.Rejection;
import java.util.concurrent.atomic.AtomicBoolean;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A fail-safe reversal that the core refuses (a stand-in core refuses it, BALANCE_INSUFFICIENT, until
 * the operator removed the cause) is
 * not retried every sweep without end: the tries are spaced by a doubling back-off, stop after
 * {@link ReversingUnacknowledgedPurchase#REFUSED_ATTEMPTS_MAX}, and the reversal is parked where an
 * operator sees it and can retry it once the cause is gone.
 */
class ScantopayRefusedReversalTest {

    /** The first wait, short for the test: the waits are 0.5, 1, 2, 4 and 8 s, 15.5 s in all. */
    static final Duration RETRY_FIRST = Duration.ofMillis(500);
    /**
     * The gateway's own window is long, so that its hook and sweep leave the purchase alone; the
     * test runs a sweep of its own, with a short window, over a core that refuses the reversal.
     */
    static final Duration ACK_WINDOW = Duration.ofHours(1);
    static final Duration SWEEP_WINDOW = Duration.ofSeconds(1);
    static TestGateway gateway;
    static WireMockServer receiver;
    static ScantopayDialect dialect;

    @BeforeAll
    static void start() {
        receiver = RefusedReversalWorld.refusingReceiver();
        gateway = RefusedReversalWorld.gateway(ACK_WINDOW, RETRY_FIRST);
        dialect = gateway.kulipa().dialect(ScantopayDialect.class);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        receiver.stop();
    }

    static RequestSpecification admin() {
        return RestAssured.given().baseUri(gateway.baseUrl()).header("Authorization", "Bearer " + TestGateway.ADMIN_TOKEN)
                .contentType("application/json");
    }

    static RequestSpecification wig() {
        return RestAssured.given().baseUri(gateway.baseUrl()).auth().preemptive()
                .basic(dialect.demo().username(), dialect.demo().password()).contentType("application/json");
    }

    static Map<String, Object> refusal(String purchaseClientRef) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT f.attempts, f.parked_at, f.first_refused_at, "
                        + "f.last_refused_at, f.last_reason FROM scantopay_reversal_refusal f JOIN payment p "
                        + "ON p.id = f.purchase_id WHERE p.client_ref = :c").bind("c", purchaseClientRef).mapToMap()
                .findOne().orElse(Map.of()));
    }

    @Test
    void theBackOffDoublesUpToItsCap() {
        assertThat(ReversingUnacknowledgedPurchase.backoff(Duration.ofSeconds(10), 1)).hasSeconds(10);
        assertThat(ReversingUnacknowledgedPurchase.backoff(Duration.ofSeconds(10), 2)).hasSeconds(20);
        assertThat(ReversingUnacknowledgedPurchase.backoff(Duration.ofSeconds(10), 5)).hasSeconds(160);
        assertThat(ReversingUnacknowledgedPurchase.backoff(Duration.ofSeconds(10), 40))
                .isEqualTo(ReversingUnacknowledgedPurchase.REFUSED_RETRY_MAX);
    }

    @Test
    void aRefusedReversalBacksOffIsParkedAfterItsLastTryAndAnOperatorRetriesIt() throws Exception {
        admin().body("{\"url\": \"" + CallbackReceiver.url(receiver, "/refuse") + "\"}")
                .put("/ops/scantopay/merchants/" + gateway.kulipa().demoMerchantId() + "/notification").then()
                .statusCode(200);
        var core = gateway.kulipa().core();
        JdbiScantopayStore store = new JdbiScantopayStore(gateway.jdbi());
        // The core refuses the reversal until the operator has removed the cause.
        AtomicBoolean causeRemoved = new AtomicBoolean();
        ReversingUnacknowledgedPurchase reversing = new ReversingUnacknowledgedPurchase(core.payments(),
                core.merchants(), r -> causeRemoved.get() ? core.refunding().refund(r)
                : new InitiatingPayment.Result.Rejected(new Rejection(FailureCode.BALANCE_INSUFFICIENT,
                "the merchant's wallet cannot give the money back")), store, RETRY_FIRST);
        long txId = wig().body(Map.of("msisdn", "27831234567", "amount", new BigDecimal("11.00"),
                "merchantReference", "refused-reversal")).post("/pluto/purchase/network").then().statusCode(200)
                .extract().jsonPath().getLong("transactionId");
        String ref = Long.toString(txId);
        int max = ReversingUnacknowledgedPurchase.REFUSED_ATTEMPTS_MAX;
        try (SweepingUnacknowledgedPurchases sweep = new SweepingUnacknowledgedPurchases(store, reversing,
                SWEEP_WINDOW)) {
            sweep.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> refusal(ref).get("parked_at") != null);
            Map<String, Object> parked = refusal(ref);
            assertThat(parked.get("attempts")).isEqualTo(max);
            assertThat(parked.get("last_reason").toString()).contains("BALANCE_INSUFFICIENT");
            // The tries were spaced by the doubling waits, not by the sweep's 2 s period.
            Duration spread = Duration.between(((Timestamp) parked.get("first_refused_at")).toInstant(),
                    ((Timestamp) parked.get("last_refused_at")).toInstant());
            Duration waits = Duration.ZERO;
            for (int n = 1; n < max; n++) {
                waits = waits.plus(RETRY_FIRST.multipliedBy(1L << (n - 1)));
            }
            assertThat(spread).isGreaterThanOrEqualTo(waits);
            // Parked: no more tries, however many sweeps go by.
            Thread.sleep(SweepingUnacknowledgedPurchases.PERIOD.multipliedBy(3).toMillis());
            assertThat(refusal(ref).get("attempts")).isEqualTo(max);
            assertThat(core.payments().find(gateway.kulipa().demoMerchantId(), "scantopay", PaymentKind.REFUND,
                    "reversal-" + txId)).isEmpty();

            // The operator sees it as failed work...
            List<Map<String, Object>> listed = admin().get("/ops/scantopay/reversals").then().statusCode(200)
                    .extract().path("reversals");
            assertThat(listed).anySatisfy(r -> {
                assertThat(((Number) r.get("transactionId")).longValue()).isEqualTo(txId);
                assertThat(r.get("state")).isEqualTo("PARKED");
                assertThat(r.get("attempts")).isEqualTo(max);
                assertThat(r.get("lastReason").toString()).contains("BALANCE_INSUFFICIENT");
            });
            RestAssured.given().baseUri(gateway.baseUrl()).get("/ops/scantopay/reversals").then().statusCode(401);
            admin().post("/ops/scantopay/reversals/999999999/retry").then().statusCode(404);
            // ...removes the cause and retries it: the purchase is reversed, and no longer listed.
            causeRemoved.set(true);
            admin().post("/ops/scantopay/reversals/" + txId + "/retry").then().statusCode(200)
                    .body("state", equalTo("RETRYING"));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> "END_REVERSED"
                    .equals(wig().get("/pluto/code/transaction/state/" + txId).then().extract().path("txState")));
        }
        List<Map<String, Object>> after = admin().get("/ops/scantopay/reversals").then().statusCode(200).extract()
                .path("reversals");
        assertThat(after).noneSatisfy(r -> assertThat(((Number) r.get("transactionId")).longValue()).isEqualTo(txId));
        admin().body("{\"url\": null}").put("/ops/scantopay/merchants/" + gateway.kulipa().demoMerchantId()
                + "/notification").then().statusCode(200);
    }
}
