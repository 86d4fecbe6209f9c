package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.JobWorker;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job that takes longer than its lease runs once (issue 14: two REDEEMED callbacks, more
 * payout webhooks than payouts): neither the node running it claims it again when its lease runs
 * out under way, nor does another node take it over while the first still runs it.
 */
class JobWorkerLeaseTest {

    private static final Duration LEASE = Duration.ofMillis(1500);
    /** Three leases: without renewal and the in-flight check, every job would be claimed again. */
    private static final Duration WORK = LEASE.multipliedBy(3);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);
    private static final int JOBS = 6;

    private Database database;
    private Jdbi jdbi;
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private JobWorker nodeA;
    private JobWorker nodeB;

    @BeforeEach
    void open() {
        database = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "", null, 8));
        jdbi = database.jdbi();
        nodeA = worker("node-a");
        nodeB = worker("node-b");
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
        database.close();
    }

    private JobWorker worker(String node) {
        JobWorker.Handler slow = job -> {
            runs.computeIfAbsent(job.subjectId(), s -> new AtomicInteger()).incrementAndGet();
            running.incrementAndGet();
            try {
                Thread.sleep(WORK);
            } finally {
                running.decrementAndGet();
            }
            return JobWorker.Outcome.DONE;
        };
        return new JobWorker(JobKind.WEBHOOK, new JdbiPaymentStore(jdbi, node, LEASE), slow, 16, LEASE, IDLE_POLL);
    }

    private void add(String subject, WorkHandOff handOff) {
        CallbackOutbox outbox = new CallbackOutbox("node-a", LEASE, handOff);
        jdbi.useTransaction(h -> outbox.add(h, "lease-test", subject));
    }

    @Test
    void aJobLongerThanItsLeaseRunsOnceOnEitherNode() {
        nodeA.start();
        nodeB.start();
        for (int i = 0; i < JOBS; i++) {
            // Half handed to node A's worker at commit, half left for a claim once their lease runs out.
            add("job-" + i, i % 2 == 0 ? nodeA::handOff : WorkHandOff.NONE);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM outbox WHERE state = 'DONE'")
                        .mapTo(Integer.class).one()) == JOBS);
        assertThat(runs).hasSize(JOBS);
        assertThat(runs.values()).as("each job ran once although it took three of its leases")
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        // A job leaves the in-flight set just after its completion commits.
        await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.inFlight() + nodeB.inFlight() == 0);
    }

    @Test
    void aJobClaimedAgainWhileUnderWayOnThisNodeIsNotRunTwice() {
        nodeA.start();
        add("handed-off", nodeA::handOff);
        await().atMost(Duration.ofSeconds(10)).until(() -> running.get() == 1);
        // Its lease runs out under way (as on a machine too loaded to renew it in time), and this
        // node's own claiming loop takes it back: the claim counts an attempt, the run is skipped.
        jdbi.useHandle(h -> h.execute("UPDATE outbox SET lease_until = now() - interval '1 second'"));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbi.withHandle(h -> h.createQuery(
                "SELECT attempts FROM outbox").mapTo(Integer.class).one()) == 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM outbox WHERE state = 'DONE'").mapTo(Integer.class).one()) == 1);
        assertThat(runs.get("handed-off").get()).isEqualTo(1);
    }
}
