package io.kulipa.dialects.scantopay.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.kulipa.dialects.scantopay.RefusedReversalWorld;
import io.kulipa.dialects.scantopay.notifications.ReversingUnacknowledgedPurchase;
import io.kulipa.dialects.scantopay.notifications.SweepingUnacknowledgedPurchases;
import io.kulipa.dialects.scantopay.store.JdbiScantopayStore;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.Rejection;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.TestGateway;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Remote API's fail-safe reversal, refused by the core (a stand-in refuses it until the cause
 * is removed), is parked after its last try in the same table as the WIG's; the operator lists it
 * beside them and retries it by transactionId, and the purchase is then reversed exactly once.
 */
class RemoteRefusedReversalTest {

    /** The waits between tries are 0.2, 0.4, 0.8, 1.6 and 3.2 s. */
    static final Duration RETRY_FIRST = Duration.ofMillis(200);
    /** The gateway's own window is long; the test's sweep, over the refusing core, has a short one. */
    static final Duration ACK_WINDOW = Duration.ofHours(1);
    static final Duration SWEEP_WINDOW = Duration.ofSeconds(1);
    static TestGateway gateway;
    static WireMockServer receiver;

    @BeforeAll
    static void start() {
        receiver = RefusedReversalWorld.refusingReceiver();
        gateway = RefusedReversalWorld.gateway(ACK_WINDOW, RETRY_FIRST);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        receiver.stop();
    }

    static RequestSpecification admin() {
        return gateway.as(TestGateway.ADMIN_TOKEN);
    }

    static Map<String, Object> refusal(String transactionId) {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT f.attempts, f.parked_at FROM "
                        + "scantopay_reversal_refusal f JOIN payment p ON p.id = f.purchase_id "
                        + "WHERE p.dialect = 'scantopay-remote' AND p.client_ref = :t").bind("t", transactionId)
                .mapToMap().findOne().orElse(Map.of()));
    }

    @Test
    void aRefusedRemoteReversalIsParkedListedAndRetriedByAnOperator() {
        String msisdn = "27832006270";
        String tx = RemotePurchaseTest.transactionId(gateway, msisdn, RemotePurchaseTest.code(gateway, "12.00", false));
        var body = RemotePurchaseTest.pinPurchase(gateway, msisdn, tx, RemotePurchaseTest.APPROVES, "1234");
        body.put("webhook", CallbackReceiver.url(receiver, "/refuse"));
        RemotePurchaseTest.purchase(gateway, body).then().statusCode(200).body("status", equalTo("SUCCESS"));

        var core = gateway.kulipa().core();
        var merchant = gateway.kulipa().demoMerchantId();
        AtomicBoolean causeRemoved = new AtomicBoolean();
        var reversing = new ReversingUnacknowledgedPurchase(core.payments(), core.merchants(),
                r -> causeRemoved.get() ? core.refunding().refund(r)
                        : new InitiatingPayment.Result.Rejected(new Rejection(FailureCode.BALANCE_INSUFFICIENT,
                        "the merchant's wallet cannot give the money back")),
                new JdbiScantopayStore(gateway.jdbi()), RETRY_FIRST, "scantopay-remote");
        var transactions = gateway.kulipa().dialect(ScanToPayRemoteDialect.class).transactions();
        int max = ReversingUnacknowledgedPurchase.REFUSED_ATTEMPTS_MAX;
        try (var sweep = new SweepingUnacknowledgedPurchases(transactions, reversing, SWEEP_WINDOW)) {
            sweep.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> refusal(tx).get("parked_at") != null);
            assertThat(refusal(tx).get("attempts")).isEqualTo(max);
            assertThat(core.payments().find(merchant, "scantopay-remote", PaymentKind.REFUND, "reversal-" + tx))
                    .isEmpty();
            assertThat(RemotePurchaseTest.state(gateway, msisdn, tx).getString("txState")).isEqualTo("SUCCESS");

            List<Map<String, Object>> listed = admin().get("/ops/scantopay/reversals").then().statusCode(200)
                    .extract().path("reversals");
            assertThat(listed).anySatisfy(r -> {
                assertThat(((Number) r.get("transactionId")).toString()).isEqualTo(tx);
                assertThat(r.get("state")).isEqualTo("PARKED");
                assertThat(r.get("lastReason").toString()).contains("BALANCE_INSUFFICIENT");
            });
            causeRemoved.set(true);
            admin().post("/ops/scantopay/reversals/" + tx + "/retry").then().statusCode(200)
                    .body("state", equalTo("RETRYING"));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> "END_REVERSED"
                    .equals(RemotePurchaseTest.state(gateway, msisdn, tx).getString("txState")));
            // A second retry finds nothing parked.
            admin().post("/ops/scantopay/reversals/" + tx + "/retry").then().statusCode(404);
        }
        long reversals = gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE kind = "
                + "'REFUND' AND dialect = 'scantopay-remote' AND client_ref = :r").bind("r", "reversal-" + tx)
                .mapTo(Long.class).one());
        assertThat(reversals).isEqualTo(1);
        List<Map<String, Object>> after = admin().get("/ops/scantopay/reversals").then().statusCode(200).extract()
                .path("reversals");
        assertThat(after).noneSatisfy(r -> assertThat(((Number) r.get("transactionId")).toString()).isEqualTo(tx));
        assertThat(core.ledger().verify()).isEmpty();
    }
}
