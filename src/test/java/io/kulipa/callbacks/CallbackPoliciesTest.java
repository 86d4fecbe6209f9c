package io.kulipa.callbacks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.sun.net.httpserver.HttpServer;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.JobWorker;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.store.CallbackOutbox;
import io.kulipa.store.Database;
import io.kulipa.store.JdbiCallbackAttempts;
import io.kulipa.store.JdbiPaymentStore;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one delivery component under each kind of policy, on a real database and real HTTP: pawaPay
 * keeps trying (backoff and jitter, only 200 counts), MoMo sends once, and a policy defined here
 * in the style of Scan to Pay's "reverse unless acknowledged within 45 s" (scaled down to 2 s)
 * has its hook called exactly once per callback never acknowledged, while two nodes share the
 * work and a third died holding some of it. A slow merchant holds at most eight deliveries.
 */
class CallbackPoliciesTest {

    /** Scan to Pay's 45 s, scaled down so that the test is quick. */
    private static final Duration ACK_WINDOW = Duration.ofSeconds(2);
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final String PURCHASE = "test-purchase";
    private static final String MOMO_LIKE = "test-once";
    private static final String PAWAPAY_LIKE = "test-retrying";
    private static final String BUSY = "test-busy";
    private static final String FLAKY_HOOK = "test-flaky-hook";
    static final Map<String, Integer> hookCalls = new ConcurrentHashMap<>();
    private static final UUID SLOW_MERCHANT = UUID.randomUUID();
    private static final Duration SLOW_ANSWER = Duration.ofMillis(800);

    static WireMockServer receiver;
    static Database db;
    /** A receiver that answers slowly and counts the requests it holds at once, by merchant. */
    static HttpServer slowReceiver;
    static final Map<String, AtomicInteger> holding = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> mostHeld = new ConcurrentHashMap<>();
    static final Map<String, Instant> answeredAt = new ConcurrentHashMap<>();
    static final Map<String, Integer> hooked = new ConcurrentHashMap<>();
    static final Map<String, CallbackSource> sources = Map.of(
            PURCHASE, id -> callback(id, "/purchase/" + id, new CallbackPolicy(
                    new RetryPolicy(ACK_WINDOW, Duration.ofMillis(200), Duration.ofMillis(500), 20),
                    u -> hooked.merge(u.subjectKind() + "/" + u.subjectId(), 1, Integer::sum))),
            MOMO_LIKE, id -> callback(id, "/once/" + id, CallbackPolicy.ONCE),
            PAWAPAY_LIKE, id -> callback(id, "/retrying/" + id, CallbackPolicy.retrying(new RetryPolicy(
                    Duration.ofMinutes(15), Duration.ofMillis(100), Duration.ofMillis(400), 20))),
            FLAKY_HOOK, id -> callback(id, "/flaky-hook/" + id, new CallbackPolicy(RetryPolicy.ONCE, u -> {
                if (hookCalls.merge(u.subjectId(), 1, Integer::sum) == 1) {
                    throw new IllegalStateException("the reversal could not be written this time");
                }
                hooked.merge(u.subjectKind() + "/" + u.subjectId(), 1, Integer::sum);
            })),
            BUSY, id -> Optional.of(new Callback("test", "purchase", id.startsWith("slow") ? SLOW_MERCHANT
                    : UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)),
                    "http://127.0.0.1:" + slowReceiver.getAddress().getPort() + "/" + id, "POST", "{}",
                    CallbackPolicy.ONCE)));

    @BeforeAll
    static void start() throws Exception {
        receiver = CallbackReceiver.start();
        slowReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slowReceiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slowReceiver.createContext("/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring(1);
            String merchant = id.startsWith("slow") ? "slow" : id;
            int now = holding.computeIfAbsent(merchant, m -> new AtomicInteger()).incrementAndGet();
            mostHeld.computeIfAbsent(merchant, m -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(id.startsWith("slow") ? SLOW_ANSWER.toMillis() : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding.get(merchant).decrementAndGet();
            }
            answeredAt.put(id, Instant.now());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        slowReceiver.start();
        db = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "",
                Files.createTempDirectory("kulipa-policies"), 10));
    }

    @AfterAll
    static void stop() {
        slowReceiver.stop(0);
        db.close();
        receiver.stop();
    }

    @BeforeEach
    void reset() {
        CallbackReceiver.reset(receiver);
        hooked.clear();
    }

    private static Optional<Callback> callback(String id, String path, CallbackPolicy policy) {
        UUID merchant = UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
        return Optional.of(new Callback("test", "purchase", merchant, CallbackReceiver.url(receiver, path), "POST",
                "{\"id\": \"" + id + "\"}", policy));
    }

    /** One gateway node as far as callbacks go: its delivery and hook workers over the shared outbox. */
    private static final class Node implements AutoCloseable {
        final CallbackOutbox outbox;
        final List<JobWorker> workers = new ArrayList<>();

        Node(String id) {
            this(id, LEASE);
        }

        Node(String id, Duration lease) {
            Jdbi jdbi = db.jdbi();
            JdbiPaymentStore jobs = new JdbiPaymentStore(jdbi, id, lease);
            Map<JobKind, JobWorker> byKind = new EnumMap<>(JobKind.class);
            WorkHandOff handOff = leased -> leased.forEach(j -> byKind.get(j.kind()).handOff(List.of(j)));
            outbox = new CallbackOutbox(id, lease, handOff);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            byKind.put(JobKind.WEBHOOK, new JobWorker(JobKind.WEBHOOK, jobs, new DeliveringCallback(sources,
                    new JdbiCallbackAttempts(jdbi, outbox), new CallbackSender(new UrlGuard(true, Set.of())), metrics,
                    Clock.systemUTC()), 32, lease, IDLE_POLL));
            byKind.put(JobKind.UNACKNOWLEDGED, new JobWorker(JobKind.UNACKNOWLEDGED, jobs,
                    new ReactingToUnacknowledgedCallback(sources, metrics, Clock.systemUTC()), 8, lease, IDLE_POLL));
            workers.addAll(byKind.values());
            workers.forEach(JobWorker::start);
        }

        @Override
        public void close() {
            workers.forEach(JobWorker::close);
        }
    }

    /** Commits a callback job the way a store does: in a transaction of its own here. */
    private static void enqueue(CallbackOutbox outbox, String subjectKind, String subjectId) {
        db.jdbi().useTransaction(h -> outbox.add(h, subjectKind, subjectId));
    }

    private static List<String> jobs(String subjectKind, String subjectId) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT kind || ' ' || state FROM outbox WHERE subject_kind = :k AND subject_id = :i
                        ORDER BY id""").bind("k", subjectKind).bind("i", subjectId).mapTo(String.class).list());
    }

    private static List<Integer> attempts(String subjectKind, String subjectId) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT coalesce(http_status, 0) FROM callback_attempt WHERE subject_kind = :k AND subject_id = :i
                        ORDER BY id""").bind("k", subjectKind).bind("i", subjectId).mapTo(Integer.class).list());
    }

    @Test
    void theHookRunsExactlyOncePerCallbackNeverAcknowledgedWhileTwoNodesShareTheWork() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ignored = IntStream.range(0, 8).mapToObj(i -> run + "-ignored-" + i).toList();
        List<String> acknowledged = IntStream.range(0, 4).mapToObj(i -> run + "-acked-" + i).toList();
        String createdNotOk = run + "-created";
        receiver.stubFor(post(urlPathMatching("/purchase/.*-ignored-.*")).willReturn(aResponse().withStatus(500)));
        receiver.stubFor(post(urlEqualTo("/purchase/" + createdNotOk)).willReturn(aResponse().withStatus(201)));
        try (Node a = new Node("node-a-" + run); Node b = new Node("node-b-" + run)) {
            // Half committed by the nodes that deliver them, half by a node that died at once.
            CallbackOutbox dead = new CallbackOutbox("node-dead-" + run, LEASE, WorkHandOff.NONE);
            List<String> all = new ArrayList<>(ignored);
            all.addAll(acknowledged);
            all.add(createdNotOk);
            for (int i = 0; i < all.size(); i++) {
                enqueue(i % 3 == 0 ? a.outbox : i % 3 == 1 ? b.outbox : dead, PURCHASE, all.get(i));
            }
            List<String> unacknowledged = new ArrayList<>(ignored);
            unacknowledged.add(createdNotOk);
            await().atMost(Duration.ofSeconds(30)).until(() -> unacknowledged.stream()
                    .allMatch(id -> hooked.containsKey(PURCHASE + "/" + id)));
            // Nothing more comes: neither a second reaction nor one to a callback that was acknowledged.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> hooked.size()
                    == unacknowledged.size() && hooked.values().stream().allMatch(n -> n == 1));
        }
        for (String id : ignored) {
            assertThat(jobs(PURCHASE, id)).as(id).containsExactly("WEBHOOK FAILED", "UNACKNOWLEDGED DONE");
            assertThat(attempts(PURCHASE, id)).as("retried within the acknowledgement window: " + id)
                    .hasSizeGreaterThan(1).containsOnly(500);
        }
        assertThat(jobs(PURCHASE, createdNotOk)).as("only HTTP 200 acknowledges")
                .containsExactly("WEBHOOK FAILED", "UNACKNOWLEDGED DONE");
        for (String id : acknowledged) {
            assertThat(jobs(PURCHASE, id)).as(id).containsExactly("WEBHOOK DONE");
            assertThat(attempts(PURCHASE, id)).as(id).containsExactly(200);
        }
    }

    @Test
    void aCallbackCommittedOnANodeIsHandedToItsWorkerAfterTheCommitWithoutWaitingForALease() {
        String id = UUID.randomUUID().toString();
        try (Node node = new Node("node-local-" + id.substring(0, 8), Duration.ofMinutes(5))) {
            // No claim can take a job leased for five minutes: only the hand-off after the commit can.
            enqueue(node.outbox, MOMO_LIKE, id);
            await().atMost(Duration.ofSeconds(5)).until(() -> jobs(MOMO_LIKE, id).equals(List.of("WEBHOOK DONE")));
        }
        assertThat(attempts(MOMO_LIKE, id)).containsExactly(200);
        // A transaction that rolls back takes its callback with it, and nothing is handed off.
        String rolledBack = UUID.randomUUID().toString();
        try (Node node = new Node("node-rollback-" + rolledBack.substring(0, 8), Duration.ofMinutes(5))) {
            try {
                db.jdbi().useTransaction(h -> {
                    node.outbox.add(h, MOMO_LIKE, rolledBack);
                    throw new IllegalStateException("the state change failed");
                });
            } catch (IllegalStateException expected) {
                // The change and its callback are gone together.
            }
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> jobs(MOMO_LIKE, rolledBack).isEmpty());
        }
        receiver.verify(0, postRequestedFor(urlEqualTo("/once/" + rolledBack)));
    }

    @Test
    void aSlowMerchantHoldsAtMostEightDeliveriesAndDoesNotHoldUpAnother() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> slow = IntStream.range(0, 24).mapToObj(i -> "slow-" + run + "-" + i).toList();
        String other = "other-" + run;
        try (Node node = new Node("node-busy-" + run)) {
            slow.forEach(id -> enqueue(node.outbox, BUSY, id));
            enqueue(node.outbox, BUSY, other);
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.stream().allMatch(answeredAt::containsKey));
        }
        assertThat(mostHeld.get("slow").get()).as("deliveries to one merchant at once")
                .isGreaterThan(1).isLessThanOrEqualTo(DeliveringCallback.PER_MERCHANT_IN_FLIGHT);
        // Committed after all 24 of the slow merchant's, answered before the second round of them.
        List<Instant> slowAnswers = slow.stream().map(answeredAt::get).sorted().toList();
        assertThat(answeredAt.get(other)).as("the other merchant waited for no one")
                .isBefore(slowAnswers.get(DeliveringCallback.PER_MERCHANT_IN_FLIGHT));
        for (String id : slow) {
            assertThat(attempts(BUSY, id)).as(id).containsExactly(200);
        }
    }

    @Test
    void aHookThatFailsIsTriedAgainUntilItHasReactedOnce() {
        String id = UUID.randomUUID().toString();
        receiver.stubFor(post(urlEqualTo("/flaky-hook/" + id)).willReturn(aResponse().withStatus(503)));
        try (Node node = new Node("node-flaky-" + id.substring(0, 8))) {
            enqueue(node.outbox, FLAKY_HOOK, id);
            await().atMost(ReactingToUnacknowledgedCallback.HOOK_RETRY_DELAY.plusSeconds(10))
                    .until(() -> jobs(FLAKY_HOOK, id).equals(List.of("WEBHOOK FAILED", "UNACKNOWLEDGED DONE")));
        }
        assertThat(hookCalls.get(id)).as("one failed reaction, then one that worked").isEqualTo(2);
        assertThat(hooked).containsExactly(Map.entry(FLAKY_HOOK + "/" + id, 1));
        receiver.verify(1, postRequestedFor(urlEqualTo("/flaky-hook/" + id)));
    }

    @Test
    void aMomoStyleCallbackIsSentOnceWhateverTheAnswer() {
        String id = UUID.randomUUID().toString();
        receiver.stubFor(post(urlEqualTo("/once/" + id)).willReturn(aResponse().withStatus(500)));
        try (Node node = new Node("node-once-" + id.substring(0, 8))) {
            enqueue(node.outbox, MOMO_LIKE, id);
            await().atMost(Duration.ofSeconds(10)).until(() -> jobs(MOMO_LIKE, id).equals(List.of("WEBHOOK FAILED")));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> attempts(MOMO_LIKE, id).equals(List.of(500)));
        }
        receiver.verify(1, postRequestedFor(urlEqualTo("/once/" + id)));
        assertThat(jobs(MOMO_LIKE, id)).as("no hook for a policy without one").containsExactly("WEBHOOK FAILED");
    }

    @Test
    void aPawapayStyleCallbackIsRetriedUntilAnHttp200() {
        String id = UUID.randomUUID().toString();
        String path = "/retrying/" + id;
        String[] states = {Scenario.STARTED, "503", "201", "200"};
        int[] answers = {500, 503, 201, 200};
        for (int i = 0; i < answers.length; i++) {
            receiver.stubFor(post(urlEqualTo(path)).inScenario(id).whenScenarioStateIs(states[i])
                    .willReturn(aResponse().withStatus(answers[i])).willSetStateTo(i + 1 < states.length
                            ? states[i + 1] : "done"));
        }
        try (Node node = new Node("node-retrying-" + id.substring(0, 8))) {
            enqueue(node.outbox, PAWAPAY_LIKE, id);
            await().atMost(Duration.ofSeconds(15)).until(() -> jobs(PAWAPAY_LIKE, id).equals(List.of("WEBHOOK DONE")));
        }
        assertThat(attempts(PAWAPAY_LIKE, id)).containsExactly(500, 503, 201, 200);
        receiver.verify(4, postRequestedFor(urlEqualTo(path)));
    }

    @Test
    void pawapaysScheduleBacksOffWithJitterForFifteenMinutesAndMomosIsOneAttempt() {
        RetryPolicy pawapay = CallbackPolicy.FIFTEEN_MINUTES.retries();
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        Instant end = created.plus(Duration.ofMinutes(15));
        Instant now = created;
        int attempts = 1;
        Optional<Instant> next;
        while ((next = pawapay.next(created, attempts, now)).isPresent()) {
            long base = Math.min(Duration.ofSeconds(5).toMillis() << (attempts - 1), Duration.ofMinutes(2).toMillis());
            long delay = Duration.between(now, next.get()).toMillis();
            if (next.get().isBefore(end)) {
                assertThat(delay).as("delay before attempt " + (attempts + 1)).isBetween(base, base * 120 / 100);
            }
            assertThat(next.get()).isBeforeOrEqualTo(end);
            now = next.get();
            attempts++;
            assertThat(attempts).as("attempts are bounded").isLessThan(100);
        }
        assertThat(now).as("the last attempt is at the end of the window").isEqualTo(end);
        assertThat(attempts).isBetween(10, 15);
        assertThat(CallbackPolicy.ONCE.retries().next(created, 1, created)).isEmpty();
        assertThat(CallbackPolicy.ONCE.reactsToUnacknowledged()).isFalse();
        assertThat(CallbackPolicy.FIFTEEN_MINUTES.reactsToUnacknowledged()).isFalse();
    }
}
