package io.kulipa.outbox;

import java.time.Instant;

/**
 * Work to add to the outbox in the same transaction as a payment change.
 *
 * @param leaseHere claim it for this node at once, so that it can be handed to a local
 *                  worker without another round trip; another node takes it over only when
 *                  the lease runs out or this node is dead or stopped (ADR 11)
 */
public record NewJob(JobKind kind, Instant dueAt, String payload, boolean leaseHere) {

    public static NewJob now(JobKind kind, Instant now) {
        return new NewJob(kind, now, null, false);
    }
}
