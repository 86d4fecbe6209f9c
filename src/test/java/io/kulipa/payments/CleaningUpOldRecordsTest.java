package io.kulipa.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.store.JdbiRetentionStore;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention: old done work, callback attempts and SMS go in bounded batches; history stays. */
class CleaningUpOldRecordsTest {

    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    @RegisterExtension
    @Order(2)
    // The gateway's own clean-up keeps 100 years, so that only the tests' own runs delete rows
    // and a round of its loop never races a test for the rows the test back-dated.
    static final GatewayExtension gateway = GatewayExtension.withSettings(() -> Map.of(
            "KULIPA_BOOTSTRAP_CALLBACK_URL", receiver.url("/callbacks"), "KULIPA_RETENTION_DAYS", "36500"));

    private static final String OLD = "now() - interval '40 days'";

    private UUID completedDeposit(String msisdn) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", msisdn, "10");
        gateway.postDeposit(body).then().body("status", equalTo("ACCEPTED"));
        String id = (String) body.get("depositId");
        await().atMost(Duration.ofSeconds(15)).until(() -> "COMPLETED".equals(gateway.depositStatus(id)));
        UUID payment = gateway.jdbi().withHandle(h -> h.createQuery("SELECT id FROM payment WHERE client_ref = :r")
                .bind("r", id).mapTo(UUID.class).one());
        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT count(*) FROM outbox WHERE payment_id = '"
                + payment + "' AND kind = 'WEBHOOK' AND state = 'DONE'") == 1
                && count("SELECT count(*) FROM callback_attempt WHERE payment_id = '" + payment + "'") >= 1);
        return payment;
    }

    private static long count(String sql) {
        return gateway.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void oldDoneRowsGoAndRecentPendingFailedAndHistoryStay() throws Exception {
        UUID old = completedDeposit("260763300001");
        UUID recent = completedDeposit("260763300002");
        Jdbi jdbi = gateway.jdbi();
        long pendingJob = jdbi.withHandle(h -> {
            h.execute("UPDATE outbox SET created_at = " + OLD + ", finished_at = " + OLD + " WHERE payment_id = ?", old);
            h.execute("UPDATE callback_attempt SET attempted_at = " + OLD + " WHERE payment_id = ?", old);
            h.execute("UPDATE sim_sms SET at = " + OLD + " WHERE msisdn = '260763300001'");
            h.execute("INSERT INTO outbox (kind, payment_id, subject_kind, subject_id, state, due_at, created_at, "
                    + "finished_at) VALUES ('CHECK', ?, 'payment', ?, 'FAILED', " + OLD + ", " + OLD + ", " + OLD + ")",
                    old, old.toString());
            long id = h.createQuery("INSERT INTO outbox (kind, payment_id, subject_kind, subject_id, state, due_at, "
                            + "created_at) VALUES ('WEBHOOK', :p, 'payment', :s, 'PENDING', now() + interval '1 day', "
                            + OLD + ") RETURNING id").bind("p", old).bind("s", old.toString()).mapTo(Long.class).one();
            h.execute("INSERT INTO callback_attempt (outbox_id, subject_kind, subject_id, payment_id, attempted_at, "
                    + "duration_ms) VALUES (?, 'payment', ?, ?, " + OLD + ", 1)", id, old.toString(), old);
            return id;
        });
        long history = count("SELECT count(*) FROM payment_event");
        long ledger = count("SELECT count(*) FROM ledger_transfer");
        long payments = count("SELECT count(*) FROM payment");
        long recentJobs = count("SELECT count(*) FROM outbox WHERE payment_id = '" + recent + "'");
        long recentAttempts = count("SELECT count(*) FROM callback_attempt WHERE payment_id = '" + recent + "'");
        assertThat(count("SELECT count(*) FROM sim_sms WHERE msisdn = '260763300001'")).isPositive();

        CleaningUpOldRecords cleaning = new CleaningUpOldRecords(new JdbiRetentionStore(jdbi), Duration.ofDays(30),
                Clock.systemUTC());
        int batches = 0;
        while (cleaning.batch() > 0 && batches < 10) {
            batches++;
        }

        assertThat(count("SELECT count(*) FROM outbox WHERE payment_id = '" + old + "' AND state = 'DONE'")).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE payment_id = '" + old + "' AND state = 'FAILED'")).isOne();
        assertThat(count("SELECT count(*) FROM outbox WHERE id = " + pendingJob)).isOne();
        assertThat(count("SELECT count(*) FROM callback_attempt WHERE payment_id = '" + old + "'"))
                .as("only the attempt of the pending callback").isOne();
        assertThat(count("SELECT count(*) FROM sim_sms WHERE msisdn = '260763300001'")).isZero();
        assertThat(count("SELECT count(*) FROM sim_sms WHERE msisdn = '260763300002'")).isPositive();
        assertThat(count("SELECT count(*) FROM outbox WHERE payment_id = '" + recent + "'")).isEqualTo(recentJobs);
        assertThat(count("SELECT count(*) FROM callback_attempt WHERE payment_id = '" + recent + "'"))
                .isEqualTo(recentAttempts);
        assertThat(count("SELECT count(*) FROM payment_event")).isEqualTo(history);
        assertThat(count("SELECT count(*) FROM ledger_transfer")).isEqualTo(ledger);
        assertThat(count("SELECT count(*) FROM payment")).isEqualTo(payments);
    }

    @Test
    void aBatchIsBoundedAndOneNodeAtATimeCleansUp() {
        Jdbi jdbi = gateway.jdbi();
        jdbi.useHandle(h -> h.execute("INSERT INTO sim_sms (msisdn, at, sender, text) SELECT '260763300009', " + OLD
                + ", 'MoMo', 'old ' || n FROM generate_series(1, 5) n"));
        JdbiRetentionStore store = new JdbiRetentionStore(jdbi);
        java.time.Instant before = java.time.Instant.now().minus(Duration.ofDays(30));

        try (Handle other = jdbi.open()) {
            other.begin();
            other.execute("SELECT pg_advisory_xact_lock(?)", JdbiRetentionStore.LOCK_KEY);
            assertThat(store.deleteOlderThan(before, 100)).isEqualTo(RetentionStore.Deleted.NOT_THIS_NODE);
            other.rollback();
        }
        assertThat(store.deleteOlderThan(before, 2).sms()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM sim_sms WHERE msisdn = '260763300009'")).isEqualTo(3);
        assertThat(store.deleteOlderThan(before, 100).sms()).isEqualTo(3);
    }

    @Test
    void failedWorkGoesAfterFourRetentionsAndTheSimulatorsFinishedBooksAfterOne() throws Exception {
        UUID payment = completedDeposit("260763300021");
        completedDeposit("260763300022");
        Jdbi jdbi = gateway.jdbi();
        String longAgo = "now() - interval '" + (30 * CleaningUpOldRecords.FAILED_WORK_KEPT_FACTOR + 1) + " days'";
        jdbi.useHandle(h -> {
            for (String finished : List.of(longAgo, OLD)) {
                h.execute("INSERT INTO outbox (kind, payment_id, subject_kind, subject_id, state, due_at, created_at, "
                        + "finished_at) VALUES ('CHECK', ?, 'payment', ?, 'FAILED', " + finished + ", " + finished
                        + ", " + finished + ")", payment, payment.toString());
            }
            h.execute("UPDATE sim_transaction SET finished_at = " + OLD + " WHERE msisdn = '260763300021'");
            h.execute("INSERT INTO sim_approval (reference, msisdn, kind, description, status, planned, due_at, "
                    + "created_at, finished_at) VALUES ('old-approval', '260763300021', 'CONSENT', 'old', 'APPROVED', "
                    + "'APPROVE', " + OLD + ", " + OLD + ", " + OLD + "), ('open-approval', '260763300021', 'CONSENT', "
                    + "'open', 'AWAITING_APPROVAL', 'APPROVE', now(), " + OLD + ", NULL)");
        });
        assertThat(count("SELECT count(*) FROM sim_transaction WHERE msisdn = '260763300021'")).isOne();

        CleaningUpOldRecords cleaning = new CleaningUpOldRecords(new JdbiRetentionStore(jdbi), Duration.ofDays(30),
                Clock.systemUTC());
        for (int batches = 0; cleaning.batch() > 0 && batches < 10; batches++) {
            // Until nothing old is left.
        }

        assertThat(count("SELECT count(*) FROM outbox WHERE payment_id = '" + payment + "' AND state = 'FAILED'"))
                .as("only the failed job younger than four retentions").isOne();
        assertThat(count("SELECT count(*) FROM sim_transaction WHERE msisdn = '260763300021'")).isZero();
        assertThat(count("SELECT count(*) FROM sim_transaction WHERE msisdn = '260763300022'")).isOne();
        assertThat(count("SELECT count(*) FROM sim_approval WHERE reference = 'old-approval'")).isZero();
        assertThat(count("SELECT count(*) FROM sim_approval WHERE reference = 'open-approval'")).isOne();
        assertThat(gateway.depositStatus(gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT client_ref FROM payment WHERE id = :id").bind("id", payment).mapTo(String.class).one())))
                .as("the payment itself stays").isEqualTo("COMPLETED");
    }
}
