package io.kulipa.dialects.scantopay.notifications;

import io.kulipa.dialects.Installation;
import io.kulipa.logging.Failures;
import io.kulipa.outbox.PollingLoop;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fail-safe's second half: the reversal "scheduled before notifying" is this sweep over the
 * database, so that a purchase is reversed even when no node was alive to run the callback's
 * hook in time, or when the only HTTP 200 came after the window. It finds successful purchases
 * with a notification URL, older than the window and a grace, that have no reversal and no HTTP
 * 200 attempt inside the window, and reverses each one (idempotent by its reversal id, so two
 * nodes sweeping at once still make one reversal).
 */
public final class SweepingUnacknowledgedPurchases implements Installation.Background {

    private static final Logger LOG = LoggerFactory.getLogger(SweepingUnacknowledgedPurchases.class);
    /** After the window, time for the hook to act first. */
    public static final Duration GRACE = Duration.ofSeconds(5);
    /** Purchases created longer ago than this are not looked at again (a node down longer is an operator's matter). */
    public static final Duration LOOK_BACK = Duration.ofDays(2);
    public static final int BATCH_MAX = 100;
    public static final Duration PERIOD = Duration.ofSeconds(2);

    /** The finding half, in the dialect's store. */
    public interface Due {
        List<UUID> due(Duration window, Duration grace, Duration lookBack, int limit);
    }

    private final PollingLoop loop;

    public SweepingUnacknowledgedPurchases(Due due, ReversingUnacknowledgedPurchase reversing, Duration window) {
        this.loop = new PollingLoop("scantopay-reversals", PERIOD, () -> {
            try {
                List<UUID> ids = due.due(window, GRACE, LOOK_BACK, BATCH_MAX);
                ids.forEach(reversing::reverse);
                return 0;
            } catch (RuntimeException e) {
                LOG.warn("the reversal sweep failed; trying again: {}", Failures.describe(e));
                return 0;
            }
        });
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void close() {
        loop.close();
    }
}
