package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.providers.simulator.SimTransaction;
import io.kulipa.providers.simulator.SimulatorStore;
import io.kulipa.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deposit's prompt is booked by its customer's wallet in the booking's own statement (issue 14):
 * a wallet set to manual approval, or none set while manual is the default, books the manual plan
 * and due time; a wallet set to automatic, or none while automatic is the default, keeps the plan.
 */
class SimulatedBookingsTest {

    private static Database db;
    private static Jdbi jdbi;
    private static JdbiSimulatorStore store;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.open("sim-bookings");
        jdbi = db.jdbi();
        store = new JdbiSimulatorStore(jdbi, db.dataSource());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private static final Instant SOON = NOW.plusMillis(200);
    private static final Instant LATER = NOW.plusSeconds(120);

    private static SimulatorStore.Booking prompt(String msisdn, boolean manualByDefault) {
        SimTransaction t = new SimTransaction(UUID.randomUUID().toString(), "SIM-" + UUID.randomUUID(), "DEPOSIT",
                "MTN_MOMO_ZMB", msisdn, new BigDecimal("15.50"), "ZMW", "Bench", SimTransaction.Status.AWAITING_APPROVAL,
                SimTransaction.APPROVE, null, SOON, 0, true, NOW, null);
        return new SimulatorStore.Booking(t, true, manualByDefault, SimTransaction.EXPIRE, LATER);
    }

    private static void approvalMode(String msisdn, String mode) {
        jdbi.useHandle(h -> h.execute("INSERT INTO sim_wallet (msisdn, currency, balance, approval_mode) "
                + "VALUES (?, 'ZMW', 100, ?)", msisdn, mode));
    }

    private static String plannedAndDue(String reference) {
        return jdbi.withHandle(h -> h.createQuery("SELECT planned || ' ' || (due_at = :later) FROM sim_transaction "
                + "WHERE reference = :r").bind("r", reference).bind("later", LATER).mapTo(String.class).one());
    }

    @Test
    void theWalletOrTheDefaultDecidesAManualPrompt() {
        String manualWallet = "26076" + (1_000_000 + (int) (Math.random() * 8_000_000));
        String autoWallet = "26077" + (1_000_000 + (int) (Math.random() * 8_000_000));
        String noWallet = "26097" + (1_000_000 + (int) (Math.random() * 8_000_000));
        approvalMode(manualWallet, "manual");
        approvalMode(autoWallet, "auto");
        List<SimulatorStore.Booking> bookings = List.of(prompt(manualWallet, false), prompt(autoWallet, true),
                prompt(noWallet, true), prompt(noWallet, false));
        SimulatorStore.Booking again = bookings.get(0);

        List<SimulatorStore.Booked> booked = store.bookAll(List.of(bookings.get(0), bookings.get(1), bookings.get(2),
                bookings.get(3), again));

        assertThat(plannedAndDue(bookings.get(0).transaction().reference())).isEqualTo("EXPIRE true");
        assertThat(plannedAndDue(bookings.get(1).transaction().reference())).isEqualTo("APPROVE false");
        assertThat(plannedAndDue(bookings.get(2).transaction().reference())).isEqualTo("EXPIRE true");
        assertThat(plannedAndDue(bookings.get(3).transaction().reference())).isEqualTo("APPROVE false");
        assertThat(booked).extracting(SimulatorStore.Booked::dueAt).containsExactly(LATER, SOON, LATER, SOON, LATER);
        assertThat(booked.get(4).providerRef()).as("a repeat answers the first booking")
                .isEqualTo(booked.get(0).providerRef()).isEqualTo(bookings.get(0).transaction().providerRef());
        // A booking not by wallet keeps its own plan whatever the wallet says.
        SimTransaction plain = new SimTransaction(UUID.randomUUID().toString(), "SIM-" + UUID.randomUUID(), "PAYOUT",
                "MTN_MOMO_ZMB", manualWallet, BigDecimal.TEN, "ZMW", "Payout", SimTransaction.Status.PROCESSING,
                SimTransaction.CREDIT, null, SOON, 0, true, NOW, null);
        assertThat(store.insertAllIfAbsent(List.of(plain))).containsExactly(plain.providerRef());
        assertThat(plannedAndDue(plain.reference())).isEqualTo("CREDIT false");
    }
}
