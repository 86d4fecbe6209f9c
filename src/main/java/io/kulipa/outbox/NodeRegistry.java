package io.kulipa.outbox;

/**
 * The nodes that share the outbox, as one node's heartbeat sees them. Times are the database's,
 * so that nodes whose clocks disagree still agree on which of them is dead.
 */
public interface NodeRegistry {

    /** Adds this node, alive now, and forgets nodes long dead (a restart's predecessors). */
    void joined(String nodeId);

    /** Records that this node is alive now, adding its row if there is none (first beat, or pruned). */
    void beat(String nodeId);

    /** Marks this node stopped: the jobs still leased to it are free to claim at once. */
    void stopped(String nodeId);
}
