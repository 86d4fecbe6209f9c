package io.kulipa.providers.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The simulated operators live in the gateway's process, so the callbacks in flight when it dies
 * die with it. The next start makes those payments' status checks due at once, so that they
 * finish in seconds rather than at the check's time; a callback lost on purpose (the knob) keeps
 * its check's time.
 */
class CallbacksThatDiedWithTheProcessTest {

    private static final Map<String, String> LATE_CHECKS = Map.of("KULIPA_STATUS_CHECK_AFTER", "5m");

    /** The simulated operator's transaction of a deposit (its reference is the payment's id). */
    private static String simStatus(Jdbi jdbi, String depositId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT s.status FROM sim_transaction s JOIN payment p "
                        + "ON s.reference = p.id::text WHERE p.client_ref = :d")
                .bind("d", depositId).mapTo(String.class).findOne().orElse(null));
    }

    private static double checkDueInSeconds(Jdbi jdbi, String depositId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT extract(epoch FROM o.due_at - now()) FROM outbox o "
                        + "JOIN payment p ON p.id = o.payment_id WHERE p.client_ref = :d AND o.kind = 'CHECK' "
                        + "AND o.state = 'PENDING'")
                .bind("d", depositId).mapTo(Double.class).one());
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
}
