package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.payments.Payment;
import io.kulipa.payments.TimeOrderedIds;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Payment ids are RFC 9562 version 7 UUIDs: creation time first, then random bits (ADR 28). */
class TimeOrderedIdsTest {

    private static TestDeposits deposits;

    @BeforeAll
    static void start() {
        deposits = TestDeposits.open("time-ordered-ids", "Ids merchant");
    }

    @AfterAll
    static void stop() {
        deposits.close();
    }

    private static long millisOf(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    @Test
    void anIdCarriesItsTimeVersionSevenAndTheRfcVariant() {
        Instant at = Instant.parse("2026-12-06T02:30:00.123Z");
        UUID id = TimeOrderedIds.at(at);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(millisOf(id)).isEqualTo(at.toEpochMilli());
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", at.toEpochMilli() >>> 16,
                at.toEpochMilli() & 0xFFFF));
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomBitsAndLaterIdsSortAfter() {
        Instant at = Instant.parse("2026-12-06T02:30:00Z");
        Set<UUID> ids = new HashSet<>();
        Set<Long> low = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID id = TimeOrderedIds.at(at);
            ids.add(id);
            low.add(id.getLeastSignificantBits());
        }
        assertThat(ids).hasSize(10_000);
        assertThat(low).hasSize(10_000);
        UUID earlier = TimeOrderedIds.at(at);
        UUID later = TimeOrderedIds.at(at.plusMillis(1));
        // PostgreSQL orders uuids byte by byte, as the string form does.
        assertThat(later.toString()).isGreaterThan(earlier.toString());
    }

    @Test
    void aNewDepositsIdIsTimeOrdered() {
        long before = System.currentTimeMillis();
        Payment p = deposits.accepted("time-ordered id");
        assertThat(p.id().version()).isEqualTo(7);
        assertThat(millisOf(p.id())).isBetween(before, System.currentTimeMillis());
        long stored = deposits.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE id = :id")
                .bind("id", p.id()).mapTo(Long.class).one());
        assertThat(stored).isEqualTo(1L);
    }
}
