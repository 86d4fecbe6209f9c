package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NodeHeartbeat;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim and the node table (ADR 11): a job leased to a node that stopped, or whose heartbeat
 * is older than {@link NodeHeartbeat#DEAD_AFTER}, is free to claim before its lease runs out; a
 * job leased to a live node, to a node with no row, or to the claiming node itself is not.
 */
class NodeLeasesTest {

    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final String ME = "node-me";

    private Database database;
    private Jdbi jdbi;
    private JdbiNodeRegistry nodes;

    @BeforeEach
    void open() {
        database = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "", null, 4));
        jdbi = database.jdbi();
        nodes = new JdbiNodeRegistry(jdbi);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** A callback job leased to {@code owner} for {@link #LEASE}, as its node writes one at commit. */
    private void leasedTo(String owner, String subject) {
        CallbackOutbox outbox = new CallbackOutbox(owner, LEASE, WorkHandOff.NONE);
        jdbi.useTransaction(h -> outbox.add(h, "node-test", subject));
    }

    private List<String> claimedBy(String node) {
        return new JdbiPaymentStore(jdbi, node, LEASE).claim(JobKind.WEBHOOK, 100, LEASE).stream()
                .map(Job::subjectId).sorted().toList();
    }

    private void heartbeatAgo(String node, Duration ago) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE node SET heartbeat_at = now() - make_interval(secs => :ago) WHERE id = :id")
                .bind("ago", (double) ago.toSeconds()).bind("id", node).execute());
    }

    @Test
    void onlyTheJobsOfDeadOrStoppedNodesAreClaimedBeforeTheirLeasesRunOut() {
        nodes.joined(ME);
        nodes.joined("node-live");
        nodes.joined("node-silent");
        nodes.joined("node-stopped");
        leasedTo("node-live", "a-live");
        leasedTo("node-silent", "b-silent");
        leasedTo("node-stopped", "c-stopped");
        leasedTo("node-without-row", "d-unknown");
        leasedTo(ME, "e-mine");
        heartbeatAgo("node-silent", NodeHeartbeat.DEAD_AFTER.plusSeconds(1));
        nodes.stopped("node-stopped");
        // This node's own heartbeat is late too: it still never takes its own jobs back.
        heartbeatAgo(ME, NodeHeartbeat.DEAD_AFTER.plusSeconds(1));

        assertThat(claimedBy(ME)).containsExactly("b-silent", "c-stopped");
        // To the others, though, a node whose heartbeat is late is dead, and so are its leases.
        assertThat(claimedBy("node-live")).containsExactly("b-silent", "c-stopped", "e-mine");
        nodes.beat("node-live");
        assertThat(claimedBy(ME)).as("every job now leased to a live node").isEmpty();
    }

    @Test
    void aNodeWhoseHeartbeatIsRecentIsAliveAndABeatRevivesARowLost() {
        nodes.joined("node-other");
        leasedTo("node-other", "a");
        heartbeatAgo("node-other", NodeHeartbeat.DEAD_AFTER.minusSeconds(2));
        assertThat(claimedBy(ME)).isEmpty();

        jdbi.useHandle(h -> h.execute("DELETE FROM node"));
        nodes.beat("node-other");
        long rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM node WHERE id = 'node-other'")
                .mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void aStartingNodeForgetsNodesLongDeadButKeepsRecentOnes() {
        nodes.joined("node-old");
        nodes.joined("node-recent");
        heartbeatAgo("node-old", JdbiNodeRegistry.STOPPED_NODE_KEPT.plusMinutes(1));
        heartbeatAgo("node-recent", Duration.ofMinutes(10));
        nodes.joined(ME);
        List<String> kept = jdbi.withHandle(h -> h.createQuery("SELECT id FROM node ORDER BY id")
                .mapTo(String.class).list());
        assertThat(kept).containsExactly(ME, "node-recent");
    }
}
