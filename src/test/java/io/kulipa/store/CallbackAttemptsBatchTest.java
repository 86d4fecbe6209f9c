package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.callbacks.CallbackAttempts.Attempt;
import io.kulipa.callbacks.CallbackAttempts.Recorded;
import io.kulipa.callbacks.CallbackAttempts.Settlement;
import io.kulipa.outbox.Job;
import io.kulipa.outbox.JobKind;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.payments.Payment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch of callback attempts is one INSERT and one UPDATE per round (issue 14): every attempt
 * gets its row with its nulls, each job is settled only if it was PENDING, a job recorded twice in
 * the batch sees its first write, and only the write that moves a job out of PENDING adds its
 * UNACKNOWLEDGED job, exactly as one statement per attempt and per settlement did.
 */
class CallbackAttemptsBatchTest {

    private static TestDeposits deposits;
    private static Jdbi jdbi;
    private static CallbackOutbox outbox;
    private static JdbiCallbackAttempts attempts;

    @BeforeAll
    static void start() {
        deposits = TestDeposits.open("attempts-batch", "Attempts merchant");
        jdbi = deposits.jdbi();
        outbox = new CallbackOutbox("attempts-batch", Duration.ofSeconds(30), WorkHandOff.NONE);
        attempts = new JdbiCallbackAttempts(jdbi, outbox);
    }

    @AfterAll
    static void stop() {
        deposits.close();
    }


    /** A WEBHOOK job of a payment, leased here as a freshly committed one is. */
    private static Job paymentWebhook() {
        Payment p = deposits.accepted("Attempts test");
        return webhook(Job.PAYMENT, p.id().toString(), p.id());
    }

    /** A WEBHOOK job of a subject that is no payment (payment_id null). */
    private static Job otherWebhook() {
        return webhook("momo-invoice", "INV-" + UUID.randomUUID(), null);
    }

    private static Job webhook(String subjectKind, String subjectId, UUID paymentId) {
        jdbi.useTransaction(h -> outbox.add(h, JobKind.WEBHOOK, subjectKind, subjectId, paymentId, null));
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PaymentRows.JOB_COLUMNS
                        + " FROM outbox WHERE kind = 'WEBHOOK' AND subject_kind = :k AND subject_id = :s")
                .bind("k", subjectKind).bind("s", subjectId).map(PaymentRows.JOB).one());
    }

    record JobRow(String state, Instant dueAt, String lastError, Instant finishedAt, String leaseOwner,
                  Instant leaseUntil) {
    }

    private static JobRow row(Job job) {
        return jdbi.withHandle(h -> h.createQuery("SELECT state, due_at, last_error, finished_at, lease_owner, "
                        + "lease_until FROM outbox WHERE id = :id")
                .bind("id", job.id())
                .map((rs, ctx) -> new JobRow(rs.getString("state"), PaymentRows.instant(rs, "due_at"),
                        rs.getString("last_error"), PaymentRows.instant(rs, "finished_at"),
                        rs.getString("lease_owner"), PaymentRows.instant(rs, "lease_until")))
                .one());
    }

    /** The UNACKNOWLEDGED jobs of a job's subject, as their payloads. */
    private static List<String> unacknowledged(Job job) {
        return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(payload, '-') || ' ' || subject_kind || ' '"
                        + " || coalesce(CAST(payment_id AS text), '-') FROM outbox WHERE kind = 'UNACKNOWLEDGED'"
                        + " AND subject_id = :s ORDER BY id")
                .bind("s", job.subjectId()).mapTo(String.class).list());
    }

    /** Every attempt row of the given jobs, oldest first, every column but the id and time as text. */
    private static List<String> attemptRows(Job... jobs) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT concat_ws('|', outbox_id, subject_kind, subject_id, coalesce(CAST(payment_id AS text), '-'),
                                         coalesce(url, '-'), coalesce(method, '-'),
                                         coalesce(CAST(http_status AS text), '-'), coalesce(error, '-'), duration_ms)
                        FROM callback_attempt WHERE outbox_id = ANY(:ids) ORDER BY id""")
                .bind("ids", Arrays.stream(jobs).mapToLong(Job::id).boxed().toArray(Long[]::new))
                .mapTo(String.class).list());
    }

    private static String expected(Job job, String url, String method, Integer status, String error, long ms) {
        return String.join("|", String.valueOf(job.id()), job.subjectKind(), job.subjectId(),
                job.paymentId() == null ? "-" : job.paymentId().toString(), url == null ? "-" : url,
                method == null ? "-" : method, status == null ? "-" : status.toString(), error == null ? "-" : error,
                String.valueOf(ms));
    }

    @Test
    void aMixedBatchRecordsEveryAttemptAndSettlesEachJobOnce() {
        Job delivered = paymentWebhook();
        Job retried = otherWebhook();
        Job failed = paymentWebhook();
        Job unacked = paymentWebhook();
        Job alreadyDone = paymentWebhook();
        Job retryThenUnacked = otherWebhook();
        Job unackedTwice = paymentWebhook();
        Job deliveredTwice = paymentWebhook();
        Instant doneAt = Instant.parse("2026-12-01T08:00:00.000001Z");
        jdbi.useHandle(h -> h.createUpdate("UPDATE outbox SET state = 'DONE', finished_at = :t, last_error = 'old', "
                        + "lease_owner = NULL, lease_until = NULL WHERE id = :id")
                .bind("t", PaymentRows.ts(doneAt)).bind("id", alreadyDone.id()).execute());
        JobRow doneBefore = row(alreadyDone);
        JobRow deliveredBefore = row(delivered);
        JobRow deliveredTwiceBefore = row(deliveredTwice);
        assertThat(deliveredBefore.leaseOwner()).as("a committed job is leased here").isEqualTo("attempts-batch");
        Instant retryAt = Instant.parse("2026-12-03T10:15:30.123456Z");
        Instant retryAt2 = Instant.parse("2026-12-03T10:16:00Z");
        Instant started = jdbi.withHandle(h -> h.createQuery("SELECT now()").mapTo(Instant.class).one());

        List<Recorded> batch = new ArrayList<>();
        batch.add(new Recorded(delivered, new Attempt("https://m.example/hook", "POST", 200, null, 12),
                Settlement.DELIVERED));
        batch.add(new Recorded(retried, new Attempt("https://m.example/inv", "PUT", 503, "HTTP 503", 40),
                Settlement.retry(retryAt, "HTTP 503")));
        batch.add(new Recorded(failed, new Attempt(null, null, null, "no callback URL", 0),
                Settlement.failed("no callback URL")));
        batch.add(new Recorded(unacked, new Attempt("https://m.example/hook", "POST", null, "connect timed out",
                Long.MAX_VALUE), Settlement.unacknowledged("connect timed out")));
        batch.add(new Recorded(alreadyDone, new Attempt("https://m.example/late", "POST", 500, "HTTP 500", 7),
                Settlement.unacknowledged("HTTP 500")));
        batch.add(new Recorded(retryThenUnacked, new Attempt("https://m.example/inv", "POST", 502, "HTTP 502", 5),
                Settlement.retry(retryAt2, "HTTP 502")));
        batch.add(new Recorded(unackedTwice, new Attempt("https://m.example/a", "POST", 404, "HTTP 404 first", 3),
                Settlement.unacknowledged("HTTP 404 first")));
        batch.add(new Recorded(deliveredTwice, new Attempt("https://m.example/b", "POST", 204, null, 1),
                Settlement.DELIVERED));
        batch.add(new Recorded(retryThenUnacked, new Attempt("https://m.example/inv", "POST", 410, "HTTP 410", 6),
                Settlement.unacknowledged("HTTP 410")));
        batch.add(new Recorded(unackedTwice, new Attempt("https://m.example/a", "POST", 404, "HTTP 404 second", 4),
                Settlement.unacknowledged("HTTP 404 second")));
        batch.add(new Recorded(deliveredTwice, new Attempt("https://m.example/b", "POST", 500, "HTTP 500", 2),
                Settlement.retry(retryAt2, "HTTP 500")));

        attempts.recordAll(batch);

        assertThat(attemptRows(delivered, retried, failed, unacked, alreadyDone, retryThenUnacked, unackedTwice,
                deliveredTwice)).as("every attempt, in the batch's order, nulls kept").containsExactly(
                expected(delivered, "https://m.example/hook", "POST", 200, null, 12),
                expected(retried, "https://m.example/inv", "PUT", 503, "HTTP 503", 40),
                expected(failed, null, null, null, "no callback URL", 0),
                expected(unacked, "https://m.example/hook", "POST", null, "connect timed out", Integer.MAX_VALUE),
                expected(alreadyDone, "https://m.example/late", "POST", 500, "HTTP 500", 7),
                expected(retryThenUnacked, "https://m.example/inv", "POST", 502, "HTTP 502", 5),
                expected(unackedTwice, "https://m.example/a", "POST", 404, "HTTP 404 first", 3),
                expected(deliveredTwice, "https://m.example/b", "POST", 204, null, 1),
                expected(retryThenUnacked, "https://m.example/inv", "POST", 410, "HTTP 410", 6),
                expected(unackedTwice, "https://m.example/a", "POST", 404, "HTTP 404 second", 4),
                expected(deliveredTwice, "https://m.example/b", "POST", 500, "HTTP 500", 2));
        String paymentAttempts = jdbi.withHandle(h -> h.createQuery("SELECT count(*) || '/' || "
                        + "count(*) FILTER (WHERE payment_id IS NULL) FROM callback_attempt WHERE outbox_id = ANY(:ids)")
                .bind("ids", new Long[] {retried.id(), retryThenUnacked.id(), delivered.id()})
                .mapTo(String.class).one());
        assertThat(paymentAttempts).as("payment_id null only for the subjects that are no payment").isEqualTo("4/3");

        JobRow d = row(delivered);
        assertThat(d.state()).isEqualTo("DONE");
        assertThat(d.dueAt()).as("kept").isEqualTo(deliveredBefore.dueAt());
        assertThat(d.lastError()).isNull();
        assertThat(d.finishedAt()).isAfterOrEqualTo(started);
        assertThat(d.leaseOwner()).isNull();
        assertThat(d.leaseUntil()).isNull();

        JobRow r = row(retried);
        assertThat(r.state()).isEqualTo("PENDING");
        assertThat(r.dueAt()).isEqualTo(retryAt);
        assertThat(r.lastError()).isEqualTo("HTTP 503");
        assertThat(r.finishedAt()).isNull();
        assertThat(r.leaseOwner()).isNull();
        assertThat(r.leaseUntil()).isNull();

        JobRow f = row(failed);
        assertThat(f.state()).isEqualTo("FAILED");
        assertThat(f.lastError()).isEqualTo("no callback URL");
        assertThat(f.finishedAt()).isAfterOrEqualTo(started);
        assertThat(f.leaseOwner()).isNull();
        assertThat(unacknowledged(failed)).as("a plain failure has no hook").isEmpty();

        JobRow u = row(unacked);
        assertThat(u.state()).isEqualTo("FAILED");
        assertThat(u.lastError()).isEqualTo("connect timed out");
        assertThat(u.finishedAt()).isAfterOrEqualTo(started);
        assertThat(unacknowledged(unacked)).containsExactly("connect timed out payment " + unacked.paymentId());

        assertThat(row(alreadyDone)).as("not settled again").isEqualTo(doneBefore);
        assertThat(row(alreadyDone).finishedAt()).isEqualTo(doneAt);
        assertThat(unacknowledged(alreadyDone)).as("no hook for a job already DONE").isEmpty();

        JobRow ru = row(retryThenUnacked);
        assertThat(ru.state()).as("the retry left it PENDING, so the second write settled it").isEqualTo("FAILED");
        assertThat(ru.dueAt()).as("from the retry").isEqualTo(retryAt2);
        assertThat(ru.lastError()).isEqualTo("HTTP 410");
        assertThat(ru.finishedAt()).isAfterOrEqualTo(started);
        assertThat(unacknowledged(retryThenUnacked)).containsExactly("HTTP 410 momo-invoice -");

        JobRow ut = row(unackedTwice);
        assertThat(ut.state()).isEqualTo("FAILED");
        assertThat(ut.lastError()).as("only the first write settled it").isEqualTo("HTTP 404 first");
        assertThat(unacknowledged(unackedTwice)).as("one hook")
                .containsExactly("HTTP 404 first payment " + unackedTwice.paymentId());

        JobRow dt = row(deliveredTwice);
        assertThat(dt.state()).as("a later retry does not reopen a delivered job").isEqualTo("DONE");
        assertThat(dt.lastError()).isNull();
        assertThat(dt.dueAt()).as("kept").isEqualTo(deliveredTwiceBefore.dueAt());
        assertThat(dt.finishedAt()).isAfterOrEqualTo(started);
    }

    @Test
    void aSingleRecordAndAnEmptyBatch() {
        Job job = otherWebhook();
        attempts.recordAll(List.of());
        assertThat(attemptRows(job)).isEmpty();

        attempts.record(job, new Attempt("https://m.example/one", "POST", 500, "HTTP 500", 9),
                Settlement.unacknowledged("HTTP 500"));
        attempts.record(job, new Attempt("https://m.example/one", "POST", 500, "HTTP 500 again", 8),
                Settlement.unacknowledged("HTTP 500 again"));

        assertThat(attemptRows(job)).containsExactly(
                expected(job, "https://m.example/one", "POST", 500, "HTTP 500", 9),
                expected(job, "https://m.example/one", "POST", 500, "HTTP 500 again", 8));
        assertThat(row(job).state()).isEqualTo("FAILED");
        assertThat(row(job).lastError()).isEqualTo("HTTP 500");
        assertThat(unacknowledged(job)).containsExactly("HTTP 500 momo-invoice -");
    }
}
