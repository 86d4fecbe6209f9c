package io.kulipa.dialects.scantopay.remote.purchases;

import io.kulipa.dialects.Installation;
import io.kulipa.logging.Failures;
import io.kulipa.outbox.PollingLoop;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups are cheap and wallets re-scan (the rules' most common anti-pattern), so a lookup that was
 * never bought is forgotten a day later, a bounded batch at a time; bought ones are kept with
 * their payment. The same pass links a purchase whose request died after starting its payment
 * (claimed, never recorded) to that payment, so that its state, VAS delivery and history see it.
 */
public final class ForgettingStaleLookups implements Installation.Background {

    private static final Logger LOG = LoggerFactory.getLogger(ForgettingStaleLookups.class);
    public static final Duration LOOKUP_RETENTION = Duration.ofDays(1);
    public static final Duration PERIOD = Duration.ofMinutes(10);
    public static final int BATCH_MAX = 1000;

    private final PollingLoop loop;

    public ForgettingStaleLookups(RemoteTransactionStore store, Clock clock) {
        this.loop = new PollingLoop("scantopay-remote-lookups", PERIOD, () -> {
            try {
                int linked = store.linkStarted(null, clock.instant().minus(PurchasingTransaction.CLAIM_STALE_AFTER),
                        BATCH_MAX);
                if (linked > 0) {
                    LOG.info("{} purchase(s) whose request died after starting the payment were linked to it", linked);
                }
                store.forget(clock.instant().minus(LOOKUP_RETENTION), BATCH_MAX);
                return 0;
            } catch (RuntimeException e) {
                LOG.warn("forgetting stale lookups failed; trying again: {}", Failures.describe(e));
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
