package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.JobWorker;
import io.kulipa.outbox.OutboxStore;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.testing.TestDatabase;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs handed off at commit need no claim (issue 14): a stream of hand-offs wakes the worker for
 * each, and it asks the database for due jobs once per idle poll, not once per wake, while a job
 * that only the database holds is still claimed within two idle polls.
 */
class JobWorkerClaimsTest {

    private static final Duration LEASE = Duration.ofMillis(300);
    private static final Duration IDLE_POLL = Duration.ofSeconds(2);
    private static final int HANDED_OFF = 40;

    private Database database;
    private Jdbi jdbi;
    private final AtomicInteger claims = new AtomicInteger();
    private final Set<String> ran = ConcurrentHashMap.newKeySet();
    private JobWorker worker;

    @BeforeEach
    void open() {
        database = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "", null, 8));
        jdbi = database.jdbi();
        JdbiPaymentStore jobs = new JdbiPaymentStore(jdbi, "node-a", LEASE);
        // The store as the worker sees it, counting its claims.
        OutboxStore counting = CountedCalls.of(OutboxStore.class, jobs, Set.of("claim"), claims);
        worker = new JobWorker(JobKind.WEBHOOK, counting, job -> {
            ran.add(job.subjectId());
            return JobWorker.Outcome.DONE;
        }, 16, Duration.ofSeconds(30), IDLE_POLL);
    }

    @AfterEach
    void close() {
        worker.close();
        database.close();
    }

    private void add(String subject, WorkHandOff handOff) {
        CallbackOutbox outbox = new CallbackOutbox("node-a", LEASE, handOff);
        jdbi.useTransaction(h -> outbox.add(h, "claims-test", subject));
    }

    @Test
    void handedOffJobsRunWithoutAClaimEachAndADatabaseOnlyJobIsStillClaimed() throws Exception {
        worker.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> claims.get() >= 1);
        int before = claims.get();
        long started = System.nanoTime();
        for (int i = 0; i < HANDED_OFF; i++) {
            add("handed-" + i, worker::handOff);
            Thread.sleep(5);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == HANDED_OFF);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        // One claim per idle poll at most while they streamed in (each hand-off woke the loop).
        assertThat(claims.get() - before).isLessThanOrEqualTo((int) (tookMs / IDLE_POLL.toMillis()) + 1);

        // Left to the database (no hand-off): claimed once its lease runs out, within two idle polls.
        add("not-handed", WorkHandOff.NONE);
        await().atMost(LEASE.plus(IDLE_POLL.multipliedBy(2)).plusSeconds(1)).until(() -> ran.contains("not-handed"));
    }
}
