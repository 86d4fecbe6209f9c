package io.kulipa.outbox;

import java.util.List;

/**
 * Hands jobs that this node has just committed and leased to its local workers, so that they
 * start without waiting for a poll. The outbox table stays the source of truth: a job that is
 * never picked up here is claimed again by any node once its lease runs out.
 */
public interface WorkHandOff {

    /** Hands each job to the local worker of its kind. */
    void handOff(List<Job> leasedJobs);

    WorkHandOff NONE = jobs -> { };
}
