package io.kulipa.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A loop that polls rarely still runs its passes at the times it was given. */
class PollingLoopTest {

    private static final Duration RARELY = Duration.ofSeconds(30);

    @Test
    void anIdleLoopWaitsForItsPollThenRunsAtEachTimeItWasGiven() throws Exception {
        List<Long> passes = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        try (PollingLoop loop = new PollingLoop("test-wake-at", RARELY, () -> {
            passes.add((System.nanoTime() - start) / 1_000_000);
            return 0;
        })) {
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.size() == 1);
            long base = (System.nanoTime() - start) / 1_000_000;
            // Given out of order: three passes, each on time.
            loop.wakeAt(Duration.ofMillis(600));
            loop.wakeAt(Duration.ofMillis(200));
            loop.wakeAt(Duration.ofMillis(400));
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.size() == 4);
            Thread.sleep(300);
            assertThat(passes).as("no pass but the first and the three woken ones").hasSize(4);
            List<Long> woken = passes.subList(1, 4).stream().map(t -> t - base).toList();
            assertThat(woken.get(0)).isBetween(200L, 200L + 150);
            assertThat(woken.get(1)).isBetween(400L, 400L + 150);
            assertThat(woken.get(2)).isBetween(600L, 600L + 150);
        }
    }

    @Test
    void aTimeThatComesDuringAPassMakesTheNextPassRunAtOnce() throws Exception {
        List<Long> passes = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        PollingLoop[] self = new PollingLoop[1];
        try (PollingLoop loop = new PollingLoop("test-wake-in-pass", RARELY, () -> {
            passes.add((System.nanoTime() - start) / 1_000_000);
            if (passes.size() == 1) {
                self[0].wakeAt(Duration.ofMillis(50));
                Thread.sleep(200);
            }
            return 0;
        })) {
            self[0] = loop;
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.size() == 2);
            assertThat(passes.get(1) - passes.get(0)).as("the second pass follows the first at once")
                    .isBetween(200L, 200L + 150);
        }
    }

    @Test
    void aTimeNotYetComeStillLetsAWakeRunAPassAtOnce() {
        List<Long> passes = new CopyOnWriteArrayList<>();
        try (PollingLoop loop = new PollingLoop("test-wake", RARELY, () -> {
            passes.add(System.nanoTime());
            return 0;
        })) {
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.size() == 1);
            loop.wakeAt(Duration.ofSeconds(20));
            loop.wake();
            await().atMost(Duration.ofSeconds(2)).until(() -> passes.size() == 2);
        }
    }
}
