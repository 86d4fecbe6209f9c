package io.kulipa.providers.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.cards.InitiatingCardPayment;
import io.kulipa.dialects.Core;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The simulated operators live in the gateway's process, so the callbacks in flight when it dies
 * die with it. The next start makes those payments' status checks due at once, so that they
 * finish in seconds rather than at the check's time; a callback lost on purpose (the knob) keeps
 * its check's time. The same holds for the simulated card issuers.
 */
class CallbacksThatDiedWithTheProcessTest {

    private static final Map<String, String> LATE_CHECKS = Map.of("KULIPA_STATUS_CHECK_AFTER", "5m");

    /** The simulated operator's transaction of a deposit (its reference is the payment's id). */
    private static String simStatus(Jdbi jdbi, String depositId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.status FROM sim_transaction s JOIN payment p "
                        + "ON s.reference = p.id::text WHERE p.client_ref = :d")
                .bind("d", depositId).mapTo(String.class).findOne().orElse(null));
    }

    /** The time until the pending status check of the deposit with that depositId. */
    private static double checkDueInSeconds(Jdbi jdbi, String depositId) {
        UUID paymentId = jdbi.withHandle(h -> h.createQuery("SELECT id FROM payment WHERE client_ref = :d")
                .bind("d", depositId).mapTo(UUID.class).one());
        return checkDueInSeconds(jdbi, paymentId);
    }

    @Test
    void aRestartChecksAtOnceThePaymentsWhoseSimulatedCallbackDiedWithTheProcess() {
        String db = TestDatabase.newDatabase();
        String died;
        String lostOnPurpose;
        try (TestGateway first = TestGateway.start(db, LATE_CHECKS)) {
            // Finished silently: the operator completes them and sends no callback.
            first.kulipa().simulator().knobs("MTN_MOMO_ZMB", new SimulatedOperators.Knobs(false, true));
            var a = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", "260763009001", "15");
            var b = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", "260763009002", "16");
            first.postDeposit(a).then().statusCode(200);
            first.postDeposit(b).then().statusCode(200);
            died = (String) a.get("depositId");
            lostOnPurpose = (String) b.get("depositId");
            await().atMost(Duration.ofSeconds(15)).until(() -> "COMPLETED".equals(simStatus(first.jdbi(), died))
                    && "COMPLETED".equals(simStatus(first.jdbi(), lostOnPurpose)));
            assertThat(first.depositStatus(died)).isEqualTo("SUBMITTED");
            first.kulipa().simulator().knobs("MTN_MOMO_ZMB", new SimulatedOperators.Knobs(false, false));
        }
        Jdbi jdbi = Jdbi.create(db, "postgres", "");
        // The first one's callback was to be sent and died with the process.
        jdbi.useHandle(h -> h.createUpdate("UPDATE sim_transaction SET send_callback = true WHERE reference = "
                + "(SELECT id::text FROM payment WHERE client_ref = :d)").bind("d", died).execute());
        assertThat(checkDueInSeconds(jdbi, died)).isGreaterThan(60);

        try (TestGateway second = TestGateway.start(db, LATE_CHECKS)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(second.depositStatus(died)));
            assertThat(second.depositStatus(lostOnPurpose)).isEqualTo("SUBMITTED");
            assertThat(checkDueInSeconds(second.jdbi(), lostOnPurpose)).isGreaterThan(60);
            assertThat(second.kulipa().core().ledger().verify()).isEmpty();
        }
    }

    private static String authorisationStatus(Jdbi jdbi, UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM sim_card_authorisation WHERE reference = :r")
                .bind("r", paymentId.toString()).mapTo(String.class).findOne().orElse(null));
    }

    private static double checkDueInSeconds(Jdbi jdbi, UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT extract(epoch FROM due_at - now()) FROM outbox "
                        + "WHERE payment_id = :p AND kind = 'CHECK' AND state = 'PENDING'")
                .bind("p", paymentId).mapTo(Double.class).one());
    }

    private static Payment cardPurchase(TestGateway gateway, String amount) {
        Core core = gateway.kulipa().core();
        Merchant merchant = core.merchants().byId(gateway.kulipa().demoMerchantId()).orElseThrow();
        UUID card = core.cards().cards("27831234567").stream().filter(c -> c.last4().equals("0002")).findFirst()
                .orElseThrow().id();
        var result = core.cardPayments().initiate(new InitiatingCardPayment.Purchase(merchant, "cardtest",
                UUID.randomUUID().toString(), "27831234567", card, Amount.of(new BigDecimal(amount)), "Demo Shop",
                List.of(), "fp", null));
        return ((InitiatingCardPayment.Result.Accepted) result).payment();
    }

    @Test
    void aRestartChecksAtOnceTheCardPaymentsWhoseIssuersCallbackDiedWithTheProcess() {
        String db = TestDatabase.newDatabase();
        UUID died;
        UUID lostOnPurpose;
        try (TestGateway first = TestGateway.start(db, LATE_CHECKS)) {
            // Decided silently: the issuer approves them and sends no callback.
            first.kulipa().simulator().knobs("CARD_ZAF", new SimulatedOperators.Knobs(false, true));
            died = cardPurchase(first, "12.50").id();
            lostOnPurpose = cardPurchase(first, "13.50").id();
            UUID a = died;
            UUID b = lostOnPurpose;
            await().atMost(Duration.ofSeconds(15)).until(() -> "APPROVED".equals(authorisationStatus(first.jdbi(), a))
                    && "APPROVED".equals(authorisationStatus(first.jdbi(), b)));
            await().atMost(Duration.ofSeconds(5)).until(() -> first.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM sim_card_authorisation WHERE callback_lost AND reference IN (:a, :b)")
                    .bind("a", a.toString()).bind("b", b.toString()).mapTo(Integer.class).one()) == 2);
            assertThat(first.kulipa().core().payments().get(died).orElseThrow().state().name()).isEqualTo("SUBMITTED");
            first.kulipa().simulator().knobs("CARD_ZAF", new SimulatedOperators.Knobs(false, false));
        }
        Jdbi jdbi = Jdbi.create(db, "postgres", "");
        // The first one's callback was to be sent and died with the process.
        jdbi.useHandle(h -> h.createUpdate("UPDATE sim_card_authorisation SET callback_lost = false WHERE reference = :r")
                .bind("r", died.toString()).execute());
        assertThat(checkDueInSeconds(jdbi, died)).isGreaterThan(60);

        try (TestGateway second = TestGateway.start(db, LATE_CHECKS)) {
            var payments = second.kulipa().core().payments();
            await().atMost(Duration.ofSeconds(20)).until(() -> payments.get(died).orElseThrow().state().name()
                    .equals("COMPLETED"));
            assertThat(payments.get(lostOnPurpose).orElseThrow().state().name()).isEqualTo("SUBMITTED");
            assertThat(checkDueInSeconds(second.jdbi(), lostOnPurpose)).isGreaterThan(60);
            assertThat(second.kulipa().core().ledger().verify()).isEmpty();
        }
    }
}
