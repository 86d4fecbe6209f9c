package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.payments.Payment;
import io.kulipa.testing.OrphanRows;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * V45 (ADR 28) dropped the foreign keys a deposit checked row by row; the ledger kept all of its
 * own. {@link OrphanRows}, which the storm, crash and takeover tests assert empty, finds what
 * those keys refused.
 */
class OrphanRowsTest {

    private static TestDeposits deposits;
    private static Jdbi jdbi;

    @BeforeAll
    static void start() {
        deposits = TestDeposits.open("orphan-rows", "Orphan merchant");
        jdbi = deposits.jdbi();
    }

    @AfterAll
    static void stop() {
        deposits.close();
    }

    private static List<String> foreignKeys(String table) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT a.attname || ' -> ' || con.confrelid::regclass::text FROM pg_constraint con
                        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
                        WHERE con.contype = 'f' AND con.conrelid = CAST(:t AS regclass) ORDER BY 1""")
                .bind("t", table).mapTo(String.class).list());
    }

    @Test
    void theDepositsForeignKeysAreGoneAndTheLedgersStay() {
        assertThat(foreignKeys("payment")).containsExactly("related_payment_id -> payment");
        assertThat(foreignKeys("payment_event")).isEmpty();
        assertThat(foreignKeys("outbox")).isEmpty();
        assertThat(foreignKeys("callback_attempt")).isEmpty();
        assertThat(foreignKeys("ledger_transfer")).containsExactlyInAnyOrder("credit_account -> ledger_account",
                "debit_account -> ledger_account", "payment_id -> payment", "pending_id -> ledger_transfer");
    }

    @Test
    void rowsNamingAPaymentOrAJobThatDoesNotExistAreFound() {
        Payment p = deposits.accepted("orphan check");
        assertThat(OrphanRows.in(jdbi)).as("deposits written through the store").isEmpty();

        UUID missing = UUID.randomUUID();
        long event = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO payment_event (payment_id, from_state, to_state, event) VALUES (:p, NULL, 'ACCEPTED', 'x')
                        RETURNING id""").bind("p", missing).mapTo(Long.class).one());
        long attempt = jdbi.withHandle(h -> h.createQuery("""
                        INSERT INTO callback_attempt (outbox_id, subject_kind, subject_id, payment_id, url, method, duration_ms)
                        VALUES (-1, 'PAYMENT', :s, :p, 'http://x', 'POST', 1) RETURNING id""")
                .bind("s", p.id().toString()).bind("p", p.id()).mapTo(Long.class).one());
        try {
            assertThat(OrphanRows.in(jdbi)).containsExactlyInAnyOrder("history row without its payment: " + event,
                    "webhook attempt without its job: " + attempt);
        } finally {
            jdbi.useHandle(h -> {
                h.execute("DELETE FROM payment_event WHERE id = ?", event);
                h.execute("DELETE FROM callback_attempt WHERE id = ?", attempt);
            });
        }
        assertThat(OrphanRows.in(jdbi)).isEmpty();
    }
}
