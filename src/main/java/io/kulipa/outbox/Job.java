package io.kulipa.outbox;

import java.time.Instant;
import java.util.UUID;

/** A unit of durable work claimed from the outbox. */
public record Job(long id, JobKind kind, UUID paymentId, int attempts, String payload, Instant created) {
}
