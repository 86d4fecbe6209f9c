package io.kulipa.callbacks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a failed delivery again: exponential backoff from {@code firstDelay} up to
 * {@code maxDelay}, with up to {@code jitterPercent} of random spread so that many
 * deliveries failing at once do not come back at once, inside a window counted from the
 * delivery's creation. A zero window means one attempt only.
 */
public record RetryPolicy(Duration window, Duration firstDelay, Duration maxDelay, int jitterPercent) {

    /** pawaPay keeps trying for 15 minutes. */
    public static final RetryPolicy FIFTEEN_MINUTES = new RetryPolicy(Duration.ofMinutes(15), Duration.ofSeconds(5),
            Duration.ofMinutes(2), 20);

    /** MoMo sends a callback once. */
    public static final RetryPolicy ONCE = new RetryPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);

    /** The time of the next attempt, or empty when the window is over. */
    public Optional<Instant> next(Instant created, int attemptsDone, Instant now) {
        if (window.isZero()) {
            return Optional.empty();
        }
        long base = firstDelay.toMillis() << Math.min(Math.max(attemptsDone - 1, 0), 20);
        long delay = Math.min(base, maxDelay.toMillis());
        long jitter = jitterPercent == 0 ? 0 : ThreadLocalRandom.current().nextLong(delay * jitterPercent / 100 + 1);
        Instant next = now.plusMillis(delay + jitter);
        Instant end = created.plus(window);
        if (!now.isBefore(end)) {
            return Optional.empty();
        }
        return Optional.of(next.isAfter(end) ? end : next);
    }
}
