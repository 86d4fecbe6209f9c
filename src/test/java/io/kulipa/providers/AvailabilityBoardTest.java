package io.kulipa.providers;

import static io.kulipa.providers.Availability.Status.CLOSED;
import static io.kulipa.providers.Availability.Status.DELAYED;
import static io.kulipa.providers.Availability.Status.OPERATIONAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvailabilityBoardTest {

    static final String MTN = "MTN_MOMO_ZMB";
    static final String AIRTEL = "AIRTEL_OAPI_ZMB";
    static final Catalog CATALOG = Catalog.loadDefault();

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    TestClock clock;
    Set<String> healthy;
    AvailabilityBoard board;

    @BeforeEach
    void setUp() {
        clock = new TestClock();
        healthy = ConcurrentHashMap.newKeySet();
        board = new AvailabilityBoard(CATALOG, healthy::contains, clock);
    }

    void failures(String correspondent, int n) {
        for (int i = 0; i < n; i++) {
            board.observe(correspondent, Operation.DEPOSIT, true);
        }
    }

    void successes(String correspondent, int n) {
        for (int i = 0; i < n; i++) {
            board.observe(correspondent, Operation.DEPOSIT, false);
        }
    }

    void assertDegraded(String correspondent) {
        assertThat(board.status(correspondent, Operation.DEPOSIT)).isEqualTo(CLOSED);
        assertThat(board.status(correspondent, Operation.REFUND)).isEqualTo(CLOSED);
        assertThat(board.status(correspondent, Operation.PAYOUT)).isEqualTo(DELAYED);
    }

    void assertOperational(String correspondent) {
        for (Operation op : Operation.values()) {
            assertThat(board.status(correspondent, op)).as(correspondent + " " + op).isEqualTo(OPERATIONAL);
        }
    }

    @Test
    void everyCorrespondentStartsOperational() {
        CATALOG.correspondents().forEach(c -> assertOperational(c.id()));
        assertThat(board.status("NO_SUCH_CORRESPONDENT", Operation.DEPOSIT)).isEqualTo(OPERATIONAL);
    }

    @Test
    void fewerAttemptsThanTheMinimumNeverDegrade() {
        failures(MTN, AvailabilityBoard.MIN_ATTEMPTS - 1);
        assertOperational(MTN);
        assertThat(board.degraded(MTN)).isFalse();
    }

    @Test
    void crossingTheThresholdClosesDepositsAndRefundsAndDelaysPayouts() {
        failures(MTN, AvailabilityBoard.MIN_ATTEMPTS);
        assertDegraded(MTN);
        assertThat(board.degraded(MTN)).isTrue();
        // Only the failing correspondent is touched.
        assertOperational(AIRTEL);
    }

    @Test
    void theRatioDecidesNotTheCountOfFailures() {
        // 4 failures in 10 submits stays below one half.
        successes(MTN, 6);
        failures(MTN, 4);
        assertOperational(MTN);
        // 5 failures of 11 submits is still below; 6 of 12 is one half.
        failures(MTN, 1);
        assertOperational(MTN);
        failures(MTN, 1);
        assertDegraded(MTN);
    }

    @Test
    void successesAloneNeverDegrade() {
        successes(MTN, 1_000);
        assertOperational(MTN);
    }

    @Test
    void submitsOfEveryOperationCountTowardsTheCorrespondent() {
        board.observe(MTN, Operation.DEPOSIT, true);
        board.observe(MTN, Operation.PAYOUT, true);
        board.observe(MTN, Operation.REFUND, true);
        board.observe(MTN, Operation.PAYOUT, true);
        assertOperational(MTN);
        board.observe(MTN, Operation.DEPOSIT, true);
        assertDegraded(MTN);
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        failures(MTN, AvailabilityBoard.MIN_ATTEMPTS - 1);
        clock.advance(AvailabilityBoard.MONITOR_WINDOW.plusSeconds(1));
        failures(MTN, 1);
        assertOperational(MTN);
        // Still inside the window, they add up.
        clock.advance(AvailabilityBoard.MONITOR_WINDOW.minusSeconds(5));
        failures(MTN, AvailabilityBoard.MIN_ATTEMPTS - 2);
        assertOperational(MTN);
        failures(MTN, 1);
        assertDegraded(MTN);
    }

    @Test
    void aClockThatStepsBackCountsIntoTheNewestSlice() {
        failures(MTN, 2);
        clock.advance(Duration.ofSeconds(-30));
        failures(MTN, 2);
        assertOperational(MTN);
        failures(MTN, 1);
        assertDegraded(MTN);
    }

    @Test
    void theProbeRestoresAHealthyCorrespondentWithACleanWindow() {
        failures(MTN, AvailabilityBoard.MIN_ATTEMPTS);
        assertThat(board.probeDegraded()).isEmpty();
        assertDegraded(MTN);

        healthy.add(MTN);
        assertThat(board.probeDegraded()).containsExactly(MTN);
        assertOperational(MTN);
        assertThat(board.degraded(MTN)).isFalse();

        // The failures before the recovery no longer count.
        failures(MTN, AvailabilityBoard.MIN_ATTEMPTS - 1);
        assertOperational(MTN);
    }

    @Test
    void aProbeThatThrowsCountsAsUnhealthy() {
        AvailabilityBoard throwing = new AvailabilityBoard(CATALOG, c -> {
            throw new IllegalStateException("no route to operator");
        }, clock);
        for (int i = 0; i < AvailabilityBoard.MIN_ATTEMPTS; i++) {
            throwing.observe(MTN, Operation.PAYOUT, true);
        }
        assertThat(throwing.probeDegraded()).isEmpty();
        assertThat(throwing.status(MTN, Operation.PAYOUT)).isEqualTo(DELAYED);
    }

    @Test
    void operationalCorrespondentsAreNotProbed() {
        Set<String> probed = ConcurrentHashMap.newKeySet();
        AvailabilityBoard watching = new AvailabilityBoard(CATALOG, c -> probed.add(c), clock);
        for (int i = 0; i < AvailabilityBoard.MIN_ATTEMPTS; i++) {
            watching.observe(AIRTEL, Operation.DEPOSIT, true);
        }
        watching.probeDegraded();
        assertThat(probed).containsExactly(AIRTEL);
    }

    @Test
    void theProbeThreadRecoversOnItsOwnAndStopsOnClose() throws Exception {
        CountDownLatch probed = new CountDownLatch(1);
        AvailabilityBoard running = new AvailabilityBoard(CATALOG, Availability.ALWAYS_OPERATIONAL, c -> {
            probed.countDown();
            return true;
        }, clock, Duration.ofMillis(20));
        for (int i = 0; i < AvailabilityBoard.MIN_ATTEMPTS; i++) {
            running.observe(MTN, Operation.DEPOSIT, true);
        }
        assertThat(running.status(MTN, Operation.DEPOSIT)).isEqualTo(CLOSED);
        running.start();
        running.start(); // a second start is harmless
        try {
            assertThat(probed.await(5, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (running.degraded(MTN) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(running.status(MTN, Operation.DEPOSIT)).isEqualTo(OPERATIONAL);
        } finally {
            running.close();
        }
        running.close(); // and so is a second close
    }

    @Test
    void anOverrideWinsOverTheMonitorBothWays() {
        board.set(MTN, Operation.DEPOSIT, CLOSED);
        assertThat(board.status(MTN, Operation.DEPOSIT)).isEqualTo(CLOSED);
        assertThat(board.status(MTN, Operation.PAYOUT)).isEqualTo(OPERATIONAL);

        failures(AIRTEL, AvailabilityBoard.MIN_ATTEMPTS);
        board.set(AIRTEL, Operation.DEPOSIT, OPERATIONAL);
        assertThat(board.status(AIRTEL, Operation.DEPOSIT)).isEqualTo(OPERATIONAL);
        assertThat(board.status(AIRTEL, Operation.PAYOUT)).isEqualTo(DELAYED);

        board.clear(AIRTEL, Operation.DEPOSIT);
        assertThat(board.status(AIRTEL, Operation.DEPOSIT)).isEqualTo(CLOSED);
        board.clear(MTN, Operation.DEPOSIT);
        assertOperational(MTN);
        board.clear(MTN, Operation.DEPOSIT); // clearing nothing is harmless
    }

    @Test
    void overridesAreKeptOnlyForCatalogCorrespondents() {
        assertThatThrownBy(() -> board.set("NOT_A_CORRESPONDENT", Operation.DEPOSIT, CLOSED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> board.clear(null, Operation.DEPOSIT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> board.set(MTN, Operation.DEPOSIT, null)).isInstanceOf(IllegalArgumentException.class);
        board.observe("NOT_A_CORRESPONDENT", Operation.DEPOSIT, true); // ignored, not stored
        assertThat(board.knows("NOT_A_CORRESPONDENT")).isFalse();
        assertThat(board.knows(MTN)).isTrue();
    }

    @Test
    void theBaselineIsAFloorNoOverrideCanLift() {
        AvailabilityBoard production = new AvailabilityBoard(CATALOG, (c, op) -> CLOSED, c -> true, clock);
        production.set(MTN, Operation.DEPOSIT, OPERATIONAL);
        assertThat(production.status(MTN, Operation.DEPOSIT)).isEqualTo(CLOSED);
        AvailabilityBoard delayedPayouts = new AvailabilityBoard(CATALOG,
                (c, op) -> op == Operation.PAYOUT ? DELAYED : OPERATIONAL, c -> true, clock);
        delayedPayouts.set(MTN, Operation.PAYOUT, OPERATIONAL);
        delayedPayouts.set(MTN, Operation.DEPOSIT, CLOSED);
        assertThat(delayedPayouts.status(MTN, Operation.PAYOUT)).isEqualTo(DELAYED);
        assertThat(delayedPayouts.status(MTN, Operation.DEPOSIT)).isEqualTo(CLOSED);
    }

    @Test
    void theSnapshotListsEveryCatalogCorrespondentForDepositsAndPayouts() {
        failures(MTN, AvailabilityBoard.MIN_ATTEMPTS);
        board.set(AIRTEL, Operation.PAYOUT, CLOSED);
        List<AvailabilityBoard.CorrespondentStatus> snapshot = board.snapshot();
        assertThat(snapshot).extracting(AvailabilityBoard.CorrespondentStatus::correspondent)
                .containsExactlyElementsOf(CATALOG.correspondents().stream().map(Correspondent::id).toList());
        Map<String, AvailabilityBoard.CorrespondentStatus> byId = snapshot.stream()
                .collect(Collectors.toMap(AvailabilityBoard.CorrespondentStatus::correspondent, s -> s));
        assertThat(byId.get(MTN).country()).isEqualTo("ZMB");
        assertThat(byId.get(MTN).statuses()).containsExactly(
                Map.entry(Operation.DEPOSIT, CLOSED), Map.entry(Operation.PAYOUT, DELAYED));
        assertThat(byId.get(AIRTEL).statuses()).containsExactly(
                Map.entry(Operation.DEPOSIT, OPERATIONAL), Map.entry(Operation.PAYOUT, CLOSED));
        assertThat(byId.get("MPESA_KEN").statuses()).containsExactly(
                Map.entry(Operation.DEPOSIT, OPERATIONAL), Map.entry(Operation.PAYOUT, OPERATIONAL));
    }

    @Test
    void concurrentObservationsTripExactlyOnceAndLoseNothing() throws Exception {
        int threads = 8;
        int each = 200;
        List<Thread> started = new java.util.ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            boolean fail = t % 2 == 0;
            started.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < each; i++) {
                    board.observe(MTN, Operation.DEPOSIT, fail);
                    board.status(MTN, Operation.PAYOUT);
                }
            }));
        }
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        // Half of all submits failed: at the end the ratio is exactly one half.
        assertDegraded(MTN);
        assertOperational(AIRTEL);
    }
}
