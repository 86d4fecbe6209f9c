package io.kulipa.dialects.scantopay.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What Scan to Pay keeps of reversals the core refused, in the dialect's store. */
public interface ReversalRefusals {

    /** Where a refused reversal stands after one more refusal. */
    record Counted(int attempts, boolean parked) {
    }

    /** A refused reversal as an operator sees it; {@code parkedAt} null while it is still retried. */
    record Refused(UUID purchaseId, UUID merchantId, String transactionId, int attempts, String lastReason,
                   Instant nextAt, Instant parkedAt, Instant firstRefusedAt) {
    }

    /**
     * Counts one more refusal of the purchase's reversal: the next try is {@code delay} from now,
     * and it is parked (no more tries) when {@code park} says so for the new count.
     */
    Counted refused(UUID purchaseId, String reason, java.util.function.IntFunction<Duration> delay,
                    java.util.function.IntPredicate park);

    /** The refused reversals that are still not done, parked first, newest first, at most {@code limit}. */
    List<Refused> refusals(int limit);

    /** Unparks a refused reversal for one more round of tries; the purchase id when there was one. */
    Optional<UUID> retry(String transactionId);
}
