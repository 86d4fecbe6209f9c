package io.kulipa.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.JobWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A merchant's delivery slots bound the requests its server has to answer at once, not the
 * writes that record them: deliveries whose attempts are still being committed leave their slots
 * to the next requests (issue 14: with a slot held through its commit, a merchant's callbacks went
 * at most eight per commit).
 */
class DeliveringCallbackSlotsTest {

    @Test
    void recordingAnAttemptDoesNotHoldItsMerchantsSlot() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger received = new AtomicInteger();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        CountDownLatch commitsHeld = new CountDownLatch(1);
        ConcurrentLinkedQueue<CallbackAttempts.Settlement> recorded = new ConcurrentLinkedQueue<>();
        CallbackAttempts slowCommits = new CallbackAttempts() {
            @Override
            public void record(Job job, Attempt attempt, Settlement settlement) {
                try {
                    commitsHeld.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                recorded.add(settlement);
            }

            @Override
            public List<Map<String, Object>> forPayment(UUID paymentId) {
                return List.of();
            }
        };
        UUID merchant = UUID.randomUUID();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        CallbackSource source = id -> Optional.of(new Callback("test", "deposit", merchant, url, "POST", "{}",
                CallbackPolicy.ONCE));
        DeliveringCallback delivering = new DeliveringCallback(Map.of(Job.PAYMENT, source), slowCommits,
                new CallbackSender(new UrlGuard(true, Set.of())), new SimpleMeterRegistry(), Clock.systemUTC());
        int deliveries = DeliveringCallback.PER_MERCHANT_IN_FLIGHT * 3;
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<JobWorker.Outcome> outcomes = new ConcurrentLinkedQueue<>();
        try {
            for (int i = 0; i < deliveries; i++) {
                Job job = new Job(i + 1, JobKind.WEBHOOK, Job.PAYMENT, UUID.randomUUID().toString(), null, 0, null,
                        Instant.now());
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        outcomes.add(delivering.handle(job));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            // Every request reaches the merchant while the first attempts' commits are still held,
            // well within the wait after which a delivery without a slot would be put back.
            await().atMost(DeliveringCallback.BUSY_MERCHANT_WAIT.minusMillis(500)).until(() -> received.get() == deliveries);
            assertThat(recorded).as("no attempt recorded while the commits are held").isEmpty();
        } finally {
            commitsHeld.countDown();
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(10));
            }
            server.stop(0);
        }
        assertThat(outcomes).hasSize(deliveries).containsOnly(JobWorker.Outcome.SETTLED);
        assertThat(recorded).hasSize(deliveries).containsOnly(CallbackAttempts.Settlement.DELIVERED);
    }
}
