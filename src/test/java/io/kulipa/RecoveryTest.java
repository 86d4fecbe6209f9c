package io.kulipa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.ChildGateway;
import io.kulipa.testing.OrphanRows;
import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crash and sharing: a gateway process killed with SIGKILL in the middle of deposits, then a
 * new process on the same database, finishes every accepted deposit and sends its webhook;
 * two gateways on one database share the work and never process a deposit twice.
 */
class RecoveryTest {

    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();

    private static ChildGateway spawn(String dbUrl) throws Exception {
        return ChildGateway.spawnSlow(dbUrl, receiver.url("/callbacks"));
    }

    private static String status(int port, String depositId) {
        return RestAssured.given().baseUri("http://127.0.0.1:" + port)
                .header("Authorization", "Bearer " + TestGateway.DEMO_TOKEN).get("/deposits/" + depositId)
                .then().statusCode(200).extract().path("[0].status");
    }

    private static Set<String> callbackIds() {
        Set<String> ids = new HashSet<>();
        for (LoggedRequest r : receiver.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/callbacks")))) {
            ids.add(io.restassured.path.json.JsonPath.from(r.getBodyAsString()).getString("depositId"));
        }
        return ids;
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void aGatewayKilledMidFlightIsFinishedByTheNextOneWithWebhooks() throws Exception {
        String dbUrl = TestDatabase.newDatabase();
        ChildGateway first = spawn(dbUrl);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", "26076320" + String.format("%04d", i), "15");
            String status = RestAssured.given().baseUri("http://127.0.0.1:" + first.port()).contentType(ContentType.JSON)
                    .header("Authorization", "Bearer " + TestGateway.DEMO_TOKEN).body(body).post("/deposits")
                    .then().statusCode(200).extract().path("status");
            assertThat(status).isEqualTo("ACCEPTED");
            ids.add((String) body.get("depositId"));
        }
        first.process().destroyForcibly();
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        ChildGateway second = spawn(dbUrl);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (String id : ids) {
                    assertThat(status(second.port(), id)).as(id).isEqualTo("COMPLETED");
                }
                assertThat(callbackIds()).containsAll(ids);
            });
        } finally {
            second.process().destroy();
            second.process().waitFor(20, TimeUnit.SECONDS);
        }
        Jdbi jdbi = Jdbi.create(dbUrl, "postgres", "");
        assertThat(count(jdbi, "SELECT count(*) FROM payment")).isEqualTo(20);
        assertThat(count(jdbi, "SELECT count(*) FROM sim_transaction WHERE status = 'COMPLETED'")).isEqualTo(20);
        // Each customer paid exactly once: 1,000,000 opening balance less 15.
        List<String> balances = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT balance::text FROM sim_wallet")
                .mapTo(String.class).list());
        assertThat(balances).containsExactly("999985.0000");
        assertThat(OrphanRows.in(jdbi)).isEmpty();
    }

    @Test
    void twoGatewaysOnOneDatabaseShareTheWorkAndProcessEachDepositOnce() {
        String dbUrl = TestDatabase.newDatabase();
        Map<String, String> fast = Map.of("KULIPA_BOOTSTRAP_CALLBACK_URL",
                "http://127.0.0.1:" + receiver.port() + "/callbacks", "KULIPA_SANDBOX_APPROVAL_DELAY", "300ms");
        TestGateway a = TestGateway.start(dbUrl, fast);
        TestGateway b = TestGateway.start(dbUrl, fast);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW",
                        "26076330" + String.format("%04d", i), "15");
                (i % 2 == 0 ? a : b).postDeposit(body).then().statusCode(200);
                ids.add((String) body.get("depositId"));
            }
            // Node A stops with its work half done; node B takes over what A had leased.
            a.close();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                for (String id : ids) {
                    assertThat(b.depositStatus(id)).as(id).isEqualTo("COMPLETED");
                }
            });
            assertThat(count(b.jdbi(), "SELECT count(*) FROM sim_transaction WHERE status = 'COMPLETED'"))
                    .isEqualTo(30);
            assertThat(count(b.jdbi(), "SELECT count(*) FROM payment_event WHERE to_state = 'COMPLETED'"))
                    .isEqualTo(30);
            assertThat(OrphanRows.in(b.jdbi())).isEmpty();
        } finally {
            b.close();
        }
    }
}
