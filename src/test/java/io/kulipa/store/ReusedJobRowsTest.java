package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.NewJob;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentChange;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change that settles the job doing its work and adds one later job (a SUBMIT answered by its
 * operator adds the payment's CHECK) turns the settled job's row into the new job (issue 14), and
 * the outcome is the same as settling it and adding a row: one pending job of the new kind, due
 * when asked, not leased, no attempts, closed when the payment becomes final.
 */
class ReusedJobRowsTest {

    private static TestDeposits deposits;
    private static Jdbi jdbi;
    private static JdbiPaymentStore store;

    @BeforeAll
    static void start() {
        deposits = TestDeposits.open("reused-jobs", "Reused jobs merchant");
        jdbi = deposits.jdbi();
        store = deposits.store();
    }

    @AfterAll
    static void stop() {
        deposits.close();
    }

    record JobRow(long id, String kind, String state, int attempts, String leaseOwner, Instant dueAt, String payload) {
    }

    private static List<JobRow> jobs(UUID paymentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, kind, state, attempts, lease_owner, due_at, payload"
                        + " FROM outbox WHERE payment_id = :p ORDER BY id")
                .bind("p", paymentId).map((rs, ctx) -> new JobRow(rs.getLong("id"), rs.getString("kind"),
                        rs.getString("state"), rs.getInt("attempts"), rs.getString("lease_owner"),
                        rs.getTimestamp("due_at").toInstant(), rs.getString("payload"))).list());
    }

    /** The accepted payment's SUBMIT job, claimed by this node as its worker would have it. */
    private static long claimedSubmit(Payment p) {
        long id = jobs(p.id()).getFirst().id();
        jdbi.useHandle(h -> h.execute("UPDATE outbox SET lease_owner = 'reused-jobs', lease_until = now() + interval '30 seconds',"
                + " attempts = attempts + 1, last_error = 'earlier try' WHERE id = ?", id));
        return id;
    }

    private static PaymentStore.StateChange submitted(Payment p, List<NewJob> jobs, Long settles) {
        return new PaymentStore.StateChange(p.id(), PaymentState.SUBMITTED,
                new PaymentChange("SUBMITTED", "OP-" + p.id(), null, null, null, null, null), jobs, moved -> List.of(),
                settles);
    }

    private static NewJob check(Instant due) {
        return new NewJob(JobKind.CHECK, due, null, false);
    }

    @Test
    void theSubmitJobsRowBecomesThePaymentsStatusCheck() {
        Payment p = deposits.accepted("reused");
        long submit = claimedSubmit(p);
        Instant due = Instant.now().plus(90, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MICROS);

        assertThat(store.transitionAll(List.of(submitted(p, List.of(check(due)), submit)))).allMatch(Optional::isPresent);

        assertThat(jobs(p.id())).containsExactly(new JobRow(submit, "CHECK", "PENDING", 0, null, due, null));
        String lastError = jdbi.withHandle(h -> h.createQuery("SELECT last_error FROM outbox WHERE id = :i")
                .bind("i", submit).mapTo(String.class).one());
        assertThat(lastError).isNull();

        // The operator's outcome closes it as it closed a status check added as a row of its own.
        store.transitionAll(List.of(new PaymentStore.StateChange(p.id(), PaymentState.COMPLETED,
                PaymentChange.event("OPERATOR_COMPLETED"), List.of(), moved -> List.of(), null)));
        assertThat(jobs(p.id())).extracting(JobRow::id, JobRow::kind, JobRow::state)
                .containsExactly(tuple(submit, "CHECK", "DONE"));
    }

    @Test
    void aSubmitAndTheOutcomeInOneBatchLeaveTheCheckClosed() {
        Payment p = deposits.accepted("reused and final in one batch");
        long submit = claimedSubmit(p);
        store.transitionAll(List.of(submitted(p, List.of(check(Instant.now().plusSeconds(90))), submit),
                new PaymentStore.StateChange(p.id(), PaymentState.COMPLETED, PaymentChange.event("OPERATOR_COMPLETED"),
                        List.of(), moved -> List.of(), null)));
        assertThat(jobs(p.id())).extracting(JobRow::kind, JobRow::state)
                .containsExactly(tuple("CHECK", "DONE"));
    }

    @Test
    void aSettledJobNoLongerPendingStaysAsItIsAndTheNewJobIsARowOfItsOwn() {
        Payment p = deposits.accepted("settled before");
        long submit = claimedSubmit(p);
        store.completeAll(List.of(submit));
        Instant due = Instant.now().plus(90, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MICROS);

        store.transitionAll(List.of(submitted(p, List.of(check(due)), submit)));

        List<JobRow> rows = jobs(p.id());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).extracting(JobRow::id, JobRow::kind, JobRow::state).containsExactly(submit, "SUBMIT", "DONE");
        assertThat(rows.get(1)).isEqualTo(new JobRow(rows.get(1).id(), "CHECK", "PENDING", 0, null, due, null));
    }

    @Test
    void aLeasedJobOrTwoJobsOrAJobSettledTwiceInOneBatchAreNewRows() {
        Payment leased = deposits.accepted("leased job");
        long leasedSubmit = claimedSubmit(leased);
        Payment two = deposits.accepted("two jobs");
        long twoSubmit = claimedSubmit(two);
        Instant due = Instant.now().plusSeconds(90);

        List<Optional<PaymentStore.Transitioned>> results = store.transitionAll(List.of(
                new PaymentStore.StateChange(leased.id(), PaymentState.FAILED, PaymentChange.event("OPERATOR_REJECTED"),
                        List.of(new NewJob(JobKind.WEBHOOK, Instant.now(), null, true)), moved -> List.of(), leasedSubmit),
                submitted(two, List.of(check(due), check(due.plusSeconds(60))), twoSubmit)));

        assertThat(jobs(leased.id())).extracting(JobRow::kind, JobRow::state, JobRow::leaseOwner).containsExactly(
                tuple("SUBMIT", "DONE", null),
                tuple("WEBHOOK", "PENDING", "reused-jobs"));
        assertThat(results.get(0).orElseThrow().leasedJobs()).extracting(io.kulipa.outbox.Job::kind)
                .containsExactly(JobKind.WEBHOOK);
        assertThat(jobs(two.id())).extracting(JobRow::kind, JobRow::state).containsExactly(
                tuple("SUBMIT", "DONE"), tuple("CHECK", "PENDING"),
                tuple("CHECK", "PENDING"));

        // One job settled by two changes of a batch: the old way, then the final state closes both checks.
        Payment twice = deposits.accepted("settled twice");
        long twiceSubmit = claimedSubmit(twice);
        store.transitionAll(List.of(submitted(twice, List.of(check(due)), twiceSubmit),
                new PaymentStore.StateChange(twice.id(), PaymentState.COMPLETED, PaymentChange.event("OPERATOR_COMPLETED"),
                        List.of(check(due)), moved -> List.of(), twiceSubmit)));
        assertThat(jobs(twice.id())).extracting(JobRow::kind, JobRow::state).containsExactly(
                tuple("SUBMIT", "DONE"), tuple("CHECK", "DONE"),
                tuple("CHECK", "DONE"));
    }

    /** The payment's SUBMIT, answered: its row is now the payment's pending status check, held by no node. */
    private static long checkAfterSubmit(Payment p) {
        long submit = claimedSubmit(p);
        store.transitionAll(List.of(submitted(p, List.of(check(Instant.now().plusSeconds(90))), submit)));
        return submit;
    }

    private static PaymentStore.StateChange completedWithWebhook(Payment p) {
        return new PaymentStore.StateChange(p.id(), PaymentState.COMPLETED, PaymentChange.event("OPERATOR_COMPLETED"),
                List.of(new NewJob(JobKind.WEBHOOK, Instant.now(), "{\"webhook\":1}", true)), moved -> List.of(), null);
    }

    private static Instant created(long jobId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT created_at FROM outbox WHERE id = :i").bind("i", jobId)
                .mapTo(Instant.class).one());
    }

    @Test
    void theOutcomeTurnsTheStatusCheckNoNodeHoldsIntoTheWebhookLeasedHere() throws Exception {
        Payment p = deposits.accepted("check becomes webhook");
        long row = checkAfterSubmit(p);
        Instant submitCreated = created(row);
        Thread.sleep(5);

        List<Optional<PaymentStore.Transitioned>> results = store.transitionAll(List.of(completedWithWebhook(p)));

        assertThat(jobs(p.id())).extracting(JobRow::id, JobRow::kind, JobRow::state, JobRow::attempts, JobRow::leaseOwner,
                JobRow::payload).containsExactly(tuple(row, "WEBHOOK", "PENDING", 1, "reused-jobs", "{\"webhook\":1}"));
        io.kulipa.outbox.Job webhook = results.getFirst().orElseThrow().leasedJobs().getFirst();
        assertThat(webhook.id()).isEqualTo(row);
        assertThat(webhook.kind()).isEqualTo(JobKind.WEBHOOK);
        assertThat(webhook.paymentId()).isEqualTo(p.id());
        // Its retries count from now, not from the submit.
        assertThat(webhook.created()).isAfter(submitCreated).isEqualTo(created(row));
        String lease = jdbi.withHandle(h -> h.createQuery("SELECT (lease_until > now())::text FROM outbox WHERE id = :i")
                .bind("i", row).mapTo(String.class).one());
        assertThat(lease).isEqualTo("true");
    }

    @Test
    void aStatusCheckANodeHoldsIsClosedAndTheWebhookIsARowOfItsOwn() {
        Payment p = deposits.accepted("held check");
        long row = checkAfterSubmit(p);
        jdbi.useHandle(h -> h.execute("UPDATE outbox SET lease_owner = 'other-node', lease_until = now() + interval '30 seconds',"
                + " attempts = attempts + 1 WHERE id = ?", row));
        Payment noCheck = deposits.accepted("no check yet");

        List<Optional<PaymentStore.Transitioned>> results = store.transitionAll(
                List.of(completedWithWebhook(p), completedWithWebhook(noCheck)));

        List<JobRow> rows = jobs(p.id());
        assertThat(rows).extracting(JobRow::id, JobRow::kind, JobRow::state, JobRow::leaseOwner).containsExactly(
                tuple(row, "CHECK", "DONE", null), tuple(rows.get(1).id(), "WEBHOOK", "PENDING", "reused-jobs"));
        assertThat(results.get(0).orElseThrow().leasedJobs()).extracting(io.kulipa.outbox.Job::id)
                .containsExactly(rows.get(1).id());
        // A payment that has only its SUBMIT job (no status check yet): the webhook is a new row, the SUBMIT stays.
        assertThat(jobs(noCheck.id())).extracting(JobRow::kind, JobRow::state, JobRow::leaseOwner).containsExactly(
                tuple("SUBMIT", "PENDING", "reused-jobs"), tuple("WEBHOOK", "PENDING", "reused-jobs"));
        assertThat(results.get(1).orElseThrow().leasedJobs()).extracting(io.kulipa.outbox.Job::kind)
                .containsExactly(JobKind.WEBHOOK);
    }

    @Test
    void aClaimThatCommitsWhileTheOutcomeWaitsForTheRowKeepsItsCheck() throws Exception {
        Payment p = deposits.accepted("claimed meanwhile");
        long row = checkAfterSubmit(p);
        java.util.concurrent.CompletableFuture<List<Optional<PaymentStore.Transitioned>>> outcome;
        try (org.jdbi.v3.core.Handle other = jdbi.open()) {
            other.begin();
            // Another node's claim: it locks the row first and commits only after the outcome has begun to wait.
            other.execute("UPDATE outbox SET lease_owner = 'other-node', lease_until = now() + interval '30 seconds',"
                    + " attempts = attempts + 1 WHERE id = ?", row);
            outcome = java.util.concurrent.CompletableFuture.supplyAsync(() -> store.transitionAll(List.of(completedWithWebhook(p))));
            Thread.sleep(300);
            assertThat(outcome).isNotDone();
            other.commit();
        }
        List<Optional<PaymentStore.Transitioned>> results = outcome.get(10, java.util.concurrent.TimeUnit.SECONDS);

        List<JobRow> rows = jobs(p.id());
        assertThat(rows).extracting(JobRow::id, JobRow::kind, JobRow::state).containsExactly(
                tuple(row, "CHECK", "DONE"), tuple(rows.get(1).id(), "WEBHOOK", "PENDING"));
        assertThat(results.getFirst().orElseThrow().leasedJobs()).extracting(io.kulipa.outbox.Job::id)
                .containsExactly(rows.get(1).id());
    }
}
