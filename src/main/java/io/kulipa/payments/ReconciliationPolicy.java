package io.kulipa.payments;

import java.time.Duration;

/**
 * How long to wait for an operator before asking it, and how often to ask: a first check
 * after {@code firstCheckAfter}, then checks twice as far apart up to {@code maxInterval},
 * {@code maxChecks} in all. After that the payment is escalated and left as it is.
 */
public record ReconciliationPolicy(Duration firstCheckAfter, Duration inDoubtCheckAfter, Duration maxInterval,
                                   int maxChecks) {

    public static final ReconciliationPolicy DEFAULT = new ReconciliationPolicy(
            Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ofMinutes(30), 12);

    /** The wait before check number {@code checksDone + 1}. */
    public Duration nextInterval(int checksDone) {
        Duration next = firstCheckAfter.multipliedBy(1L << Math.min(checksDone, 20));
        return next.compareTo(maxInterval) > 0 ? maxInterval : next;
    }
}
