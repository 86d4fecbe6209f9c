package io.kulipa;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.MomoClient;
import io.kulipa.testing.TestGateway;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stops under load and comes back (issue 13, faults). The test runs its own embedded
 * server (the shared test server serves every other test class) on a fixed port and data
 * directory, stops it while pawaPay deposits keep arriving, and starts it again on the same files.
 */
class DatabaseRestartTest {

    /**
     * An answer during the outage comes at least this fast: the pool's connection wait and a margin
     * for a machine shared with other builds.
     */
    private static final Duration OUTAGE_ANSWER_MAX = Duration.ofMillis(
            io.kulipa.store.Database.CONNECTION_WAIT.toMillis() + 3000);
    /** How long the load goes on after the database's return, past BACK_TO_WORK_MAX. */
    private static final Duration LOAD_AFTER_RETURN = Duration.ofSeconds(10);
    /** The bound: within 5 s of the database's return the gateway takes work again. */
    private static final Duration BACK_TO_WORK_MAX = Duration.ofSeconds(5);
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final int CLIENTS = 4;

    @RegisterExtension
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();

    /** One request as the client saw it: when it left and came back, what it got. */
    private record Answer(String depositId, long sentAt, long answeredAt, int status, String body) {
        boolean accepted() {
            return status == 200 && body.contains("\"ACCEPTED\"");
        }
    }

    @Test
    void depositsFailFastDuringAnOutageAndTheGatewayTakesWorkAgainByItself() throws Exception {
        Path dir = Files.createTempDirectory("kulipa-restart-pg");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EmbeddedPostgres pg = start(dir, port);
        String dbUrl = "jdbc:postgresql://localhost:" + port + "/postgres";
        Map<String, String> settings = new HashMap<>();
        settings.put("KULIPA_BOOTSTRAP_CALLBACK_URL", receiver.url("/callbacks"));
        TestGateway gateway = TestGateway.start(dbUrl, settings);
        MomoClient momo = MomoClient.provision(gateway, "127.0.0.1");
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Answer> momoAnswers = new ConcurrentLinkedQueue<>();
        AtomicBoolean load = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        long stoppedAt;
        long startedAt;
        long restarting;
        try {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofVirtual().start(() -> {
                    int n = 0;
                    while (load.get()) {
                        answers.add(deposit(gateway, String.format("2607630%02d%03d", client, n++ % 1000)));
                    }
                }));
            }
            clients.add(Thread.ofVirtual().start(() -> {
                while (load.get()) {
                    momoAnswers.add(requestToPay(momo));
                }
            }));
            Thread.sleep(2000);
            System.out.printf("database restart: %d deposits and %d MoMo requests answered before the stop%n",
                    answers.size(), momoAnswers.size());
            pg.close();
            stoppedAt = System.nanoTime();
            System.out.println("database restart: PostgreSQL stopped");
            Thread.sleep(OUTAGE.toMillis());
            restarting = System.nanoTime();
            pg = start(dir, port);
            startedAt = System.nanoTime();
            Thread.sleep(BACK_TO_WORK_MAX.plus(LOAD_AFTER_RETURN).toMillis());
            load.set(false);
            for (Thread t : clients) {
                t.join(Duration.ofSeconds(30));
            }

            List<Answer> duringOutage = answers.stream()
                    .filter(a -> a.sentAt() > stoppedAt && a.answeredAt() < restarting).toList();
            assertThat(duringOutage).as("requests answered during the outage").isNotEmpty();
            for (Answer a : duringOutage) {
                assertThat(Duration.ofNanos(a.answeredAt() - a.sentAt())).as("time to answer during the outage")
                        .isLessThan(OUTAGE_ANSWER_MAX);
                assertThat(a.status()).as("status during the outage: " + a.body()).isEqualTo(500);
                JsonPath body = JsonPath.from(a.body());
                assertThat(body.getString("status")).isEqualTo("REJECTED");
                assertThat(body.getString("rejectionReason.rejectionCode")).isEqualTo("OTHER_ERROR");
                assertThat(a.body()).doesNotContain("Exception").doesNotContain("at io.");
            }
            // MoMo's clients hear MoMo's own words: 503 SERVICE_UNAVAILABLE.
            List<Answer> momoDuringOutage = momoAnswers.stream()
                    .filter(a -> a.sentAt() > stoppedAt && a.answeredAt() < restarting).toList();
            assertThat(momoDuringOutage).as("MoMo requests answered during the outage").isNotEmpty();
            for (Answer a : momoDuringOutage) {
                assertThat(Duration.ofNanos(a.answeredAt() - a.sentAt())).isLessThan(OUTAGE_ANSWER_MAX);
                assertThat(a.status()).as(a.body()).isEqualTo(503);
                assertThat(JsonPath.from(a.body()).getString("code")).isEqualTo("SERVICE_UNAVAILABLE");
            }
            assertThat(momoAnswers.stream().filter(a -> a.sentAt() > startedAt + BACK_TO_WORK_MAX.toNanos()))
                    .as("MoMo requests once the gateway is back").isNotEmpty().allMatch(a -> a.status() == 202);
            long firstAcceptedAfter = answers.stream().filter(a -> a.sentAt() > startedAt && a.accepted())
                    .mapToLong(Answer::answeredAt).min().orElseThrow();
            assertThat(Duration.ofNanos(firstAcceptedAfter - startedAt)).as("first deposit accepted after the return")
                    .isLessThan(BACK_TO_WORK_MAX);
            List<Answer> later = answers.stream().filter(a -> a.sentAt() > startedAt + BACK_TO_WORK_MAX.toNanos())
                    .toList();
            assertThat(later).as("deposits sent once the gateway is back").isNotEmpty().allMatch(Answer::accepted);

            Set<String> accepted = new HashSet<>();
            answers.stream().filter(Answer::accepted).forEach(a -> accepted.add(a.depositId()));
            Set<String> refused = new HashSet<>();
            answers.stream().filter(a -> !a.accepted()).forEach(a -> refused.add(a.depositId()));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(calledBack()).containsAll(accepted));
            Jdbi jdbi = gateway.jdbi();
            List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery(
                    "SELECT client_ref, state FROM payment WHERE dialect = 'pawapay'").mapToMap().list());
            Set<String> stored = new HashSet<>();
            for (Map<String, Object> row : rows) {
                String ref = (String) row.get("client_ref");
                stored.add(ref);
                // A refused request may still have been committed before its answer was lost; it completes too.
                assertThat(accepted.contains(ref) || refused.contains(ref)).as("payment " + ref + " was requested")
                        .isTrue();
            }
            assertThat(stored).containsAll(accepted);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                long open = jdbi.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM payment WHERE state <> 'COMPLETED'").mapTo(Long.class).one());
                assertThat(open).as("payments not completed").isZero();
            });
            assertThat(calledBack()).containsAll(stored);
            for (Answer a : momoAnswers) {
                if (a.status() == 202) {
                    assertThat(momo.collection().get("/collection/v1_0/requesttopay/" + a.depositId()).then()
                            .statusCode(200).extract().<String>path("status")).isEqualTo("SUCCESSFUL");
                }
            }
            System.out.printf("database restart: %d requests, %d accepted, %d refused during the outage, first "
                            + "accepted %d ms after the return%n", answers.size(), accepted.size(), duringOutage.size(),
                    Duration.ofNanos(firstAcceptedAfter - startedAt).toMillis());
        } finally {
            load.set(false);
            gateway.close();
            pg.close();
        }
    }

    private static EmbeddedPostgres start(Path dir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("max_connections", "100").setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    private static Answer deposit(TestGateway gateway, String msisdn) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", msisdn, "15");
        String id = (String) body.get("depositId");
        long sent = System.nanoTime();
        try {
            Response r = gateway.merchant().body(body).post("/deposits");
            return new Answer(id, sent, System.nanoTime(), r.statusCode(), r.asString());
        } catch (RuntimeException e) {
            return new Answer(id, sent, System.nanoTime(), -1, String.valueOf(e));
        }
    }

    private static Answer requestToPay(MomoClient momo) {
        String reference = java.util.UUID.randomUUID().toString();
        Map<String, Object> body = new HashMap<>();
        body.put("amount", "5");
        body.put("currency", "EUR");
        body.put("externalId", "restart");
        body.put("payer", MomoClient.msisdn("46733123401"));
        body.put("payerMessage", "restart");
        body.put("payeeNote", "restart");
        long sent = System.nanoTime();
        try {
            Response r = momo.product("collection", "sandbox").header("X-Reference-Id", reference).body(body)
                    .post("/collection/v1_0/requesttopay");
            return new Answer(reference, sent, System.nanoTime(), r.statusCode(), r.asString());
        } catch (RuntimeException e) {
            return new Answer(reference, sent, System.nanoTime(), -1, String.valueOf(e));
        }
    }

    private static Set<String> calledBack() {
        Set<String> ids = new HashSet<>();
        for (LoggedRequest r : receiver.findAll(postRequestedFor(urlEqualTo("/callbacks")))) {
            ids.add(JsonPath.from(r.getBodyAsString()).getString("depositId"));
        }
        return ids;
    }
}
