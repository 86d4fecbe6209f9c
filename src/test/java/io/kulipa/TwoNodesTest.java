package io.kulipa;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kulipa.providers.AvailabilityBoard;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.ChildGateway;
import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
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
 * Two gateway nodes on one database (issue 13, faults): one is killed and the other completes all
 * of the work; availability overrides, the outage monitor's verdicts and the simulated operators'
 * outage knobs set through one node hold on the other within
 * {@link AvailabilityBoard#SHARED_STATE_REFRESH}.
 */
class TwoNodesTest {

    /** The shared state's refresh, a read and a request's round trip on a loaded machine. */
    private static final Duration SEEN_BY_THE_OTHER_NODE_MAX = AvailabilityBoard.SHARED_STATE_REFRESH
            .plus(Duration.ofSeconds(2));
    private static final int DEPOSITS_PER_NODE = 10;
    private static final String ZMB = "MTN_MOMO_ZMB";

    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();

    @Test
    void whenOneNodeIsKilledTheOtherCompletesAllTheWork() throws Exception {
        String dbUrl = TestDatabase.newDatabase();
        ChildGateway a = ChildGateway.spawnSlow(dbUrl, receiver.url("/callbacks"));
        TestGateway b = TestGateway.start(dbUrl, Map.of("KULIPA_BOOTSTRAP_CALLBACK_URL", receiver.url("/callbacks"),
                "KULIPA_SANDBOX_APPROVAL_DELAY", "1500ms"));
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < DEPOSITS_PER_NODE; i++) {
                ids.add(accepted(a.merchant(), "26076350" + String.format("%04d", i)));
                ids.add(accepted(b.merchant(), "26076351" + String.format("%04d", i)));
            }
            // The customers take 1.5 s to approve: node A dies with its deposits in flight.
            a.process().destroyForcibly();
            assertThat(a.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < DEPOSITS_PER_NODE; i++) {
                ids.add(accepted(b.merchant(), "26076352" + String.format("%04d", i)));
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(calledBack()).containsAll(ids));
            Jdbi jdbi = b.jdbi();
            assertThat(count(jdbi, "SELECT count(*) FROM payment WHERE state = 'COMPLETED'")).isEqualTo(ids.size());
            assertThat(count(jdbi, "SELECT count(*) FROM sim_transaction WHERE status = 'COMPLETED'"))
                    .as("each deposit paid once").isEqualTo(ids.size());
            for (String id : ids) {
                assertThat(b.depositStatus(id)).isEqualTo("COMPLETED");
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- node A, last lines ---\n" + a.tail(), e);
        } finally {
            a.process().destroyForcibly();
            b.close();
        }
    }

    @Test
    void anOverrideSetOnOneNodeIsHonouredByTheOther() {
        String dbUrl = TestDatabase.newDatabase();
        try (TestGateway a = TestGateway.start(dbUrl, Map.of());
             TestGateway b = TestGateway.start(dbUrl, Map.of())) {
            assertThat(rejection(b, "260763530001")).isNull();
            admin(a).body("{\"status\": \"CLOSED\"}").put("/ops/availability/" + ZMB + "/DEPOSIT")
                    .then().statusCode(200);
            long set = System.nanoTime();
            await().atMost(SEEN_BY_THE_OTHER_NODE_MAX).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(rejection(b, "260763530002")).isEqualTo("CORRESPONDENT_TEMPORARILY_UNAVAILABLE"));
            System.out.printf("override seen by the other node after %d ms%n", (System.nanoTime() - set) / 1_000_000);
            assertThat(availability(b, ZMB, "DEPOSIT")).isEqualTo("CLOSED");

            admin(b).body("{\"status\": null}").put("/ops/availability/" + ZMB + "/DEPOSIT").then().statusCode(200);
            await().atMost(SEEN_BY_THE_OTHER_NODE_MAX).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(rejection(a, "260763530003")).isNull());
        }
    }

    @Test
    void anOutageSeenByOneNodesMonitorClosesTheCorrespondentOnTheOther() {
        String dbUrl = TestDatabase.newDatabase();
        try (TestGateway a = TestGateway.start(dbUrl, Map.of());
             TestGateway b = TestGateway.start(dbUrl, Map.of())) {
            // The knob is set through node A; node B's operator goes down with it.
            RestAssured.given().baseUri(a.baseUrl()).contentType(ContentType.JSON).body("{\"outage\": true}")
                    .put("/sandbox/operators/" + ZMB).then().statusCode(200);
            await().atMost(SEEN_BY_THE_OTHER_NODE_MAX).untilAsserted(() -> assertThat(
                    RestAssured.given().baseUri(b.baseUrl()).get("/sandbox/operators/" + ZMB).then().statusCode(200)
                            .extract().<Boolean>path("outage")).isTrue());
            // Node B's submits fail until its monitor degrades the correspondent...
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(rejection(b, "2607635" + String.format("%05d", (int) (Math.random() * 99999))))
                            .isEqualTo("CORRESPONDENT_TEMPORARILY_UNAVAILABLE"));
            // ...and node A, which saw none of them, refuses too.
            await().atMost(SEEN_BY_THE_OTHER_NODE_MAX).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(availability(a, ZMB, "DEPOSIT")).isEqualTo("CLOSED"));
            assertThat(rejection(a, "260763540001")).isEqualTo("CORRESPONDENT_TEMPORARILY_UNAVAILABLE");

            // The operator comes back (set through node B): a probe on either node restores it for both.
            RestAssured.given().baseUri(b.baseUrl()).contentType(ContentType.JSON).body("{\"outage\": false}")
                    .put("/sandbox/operators/" + ZMB).then().statusCode(200);
            Duration back = AvailabilityBoard.PROBE_INTERVAL.plus(SEEN_BY_THE_OTHER_NODE_MAX);
            await().atMost(back).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(availability(a, ZMB, "DEPOSIT")).isEqualTo("OPERATIONAL");
                assertThat(availability(b, ZMB, "DEPOSIT")).isEqualTo("OPERATIONAL");
            });
        }
    }

    private static io.restassured.specification.RequestSpecification admin(TestGateway g) {
        return g.as(TestGateway.ADMIN_TOKEN);
    }

    /** The rejection code of a new deposit on this node, or null when it is accepted. */
    private static String rejection(TestGateway g, String msisdn) {
        Response r = g.postDeposit(TestGateway.deposit(ZMB, "ZMW", msisdn, "15"));
        r.then().statusCode(200);
        return "REJECTED".equals(r.path("status")) ? r.path("rejectionReason.rejectionCode") : null;
    }

    private static String availability(TestGateway g, String correspondent, String operation) {
        List<Map<String, Object>> countries = g.merchant().get("/availability").then().statusCode(200)
                .extract().jsonPath().getList("");
        for (Map<String, Object> country : countries) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> correspondents = (List<Map<String, Object>>) country.get("correspondents");
            for (Map<String, Object> c : correspondents) {
                if (correspondent.equals(c.get("correspondent"))) {
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> ops = (List<Map<String, Object>>) c.get("operationTypes");
                    for (Map<String, Object> op : ops) {
                        if (operation.equals(op.get("operationType"))) {
                            return (String) op.get("status");
                        }
                    }
                }
            }
        }
        throw new AssertionError("no " + correspondent + " " + operation + " in /availability");
    }

    private static String accepted(io.restassured.specification.RequestSpecification node, String msisdn) {
        Map<String, Object> body = TestGateway.deposit(ZMB, "ZMW", msisdn, "15");
        node.body(body).post("/deposits").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ACCEPTED"));
        return (String) body.get("depositId");
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static Set<String> calledBack() {
        Set<String> ids = new HashSet<>();
        for (LoggedRequest r : receiver.findAll(postRequestedFor(urlEqualTo("/callbacks")))) {
            JsonPath json = JsonPath.from(r.getBodyAsString());
            if ("COMPLETED".equals(json.getString("status"))) {
                ids.add(json.getString("depositId"));
            }
        }
        return ids;
    }
}
