package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * V8 on a database that already holds callbacks: every attempt of the four old tables is in
 * {@code callback_attempt} afterwards, oldest first, with its subject; the old tables are gone;
 * the jobs of payments have their subject; an invoice callback that was due but not yet sent is
 * in the outbox, so the upgrade loses none.
 */
class OneCallbackOutboxMigrationTest {

    @Test
    void theOldAttemptsAreCopiedAndADueInvoiceCallbackIsHandedToTheOutbox() {
        String url = TestDatabase.newDatabase();
        migrate(url, "7");
        Jdbi jdbi = Jdbi.create(url, "postgres", "");
        UUID merchant = UUID.randomUUID();
        UUID payment = UUID.randomUUID();
        UUID invoiceSent = UUID.randomUUID();
        UUID invoiceDue = UUID.randomUUID();
        UUID voucher = UUID.randomUUID();
        jdbi.useTransaction(h -> {
            h.execute("INSERT INTO merchant (id, name, token_digest) VALUES (?, 'M', 'digest')", merchant);
            h.execute("""
                    INSERT INTO payment (id, merchant_id, kind, client_ref, dialect, state, amount, amount_text,
                        currency, country, correspondent, msisdn, fingerprint, created_at, updated_at)
                    VALUES (?, ?, 'DEPOSIT', 'dep-1', 'pawapay', 'COMPLETED', 15, '15', 'ZMW', 'ZMB',
                        'MTN_MOMO_ZMB', '260763000001', 'f', now(), now())""", payment, merchant);
            long job = h.createQuery("""
                            INSERT INTO outbox (kind, payment_id, state, due_at) VALUES ('WEBHOOK', ?, 'DONE', now())
                            RETURNING id""").bind(0, payment).mapTo(Long.class).one();
            h.execute("""
                    INSERT INTO webhook_attempt (outbox_id, payment_id, url, http_status, duration_ms, attempted_at)
                    VALUES (?, ?, 'https://m.example/cb', 500, 12, now() - interval '4 minutes'),
                           (?, ?, 'https://m.example/cb', 200, 8, now() - interval '1 minute')""",
                    job, payment, job, payment);
            h.execute("""
                    INSERT INTO momo_callback_attempt (subject, subject_id, url, method, http_status, duration_ms,
                        attempted_at)
                    VALUES ('momo-preapproval', 'pre-1', 'https://m.example/pre', 'PUT', 200, 5,
                        now() - interval '3 minutes')""");
            for (UUID invoice : List.of(invoiceSent, invoiceDue)) {
                h.execute("""
                        INSERT INTO momo_invoice (id, merchant_id, reference_id, api_user_id, environment,
                            correspondent, external_id, amount, amount_text, currency, payer_msisdn, payee_id_type,
                            payee_id, payment_reference, status, expires_at, callback_url, callback_state,
                            created_at, updated_at)
                        VALUES (?, ?, ?, ?, 'sandbox', 'MOMO_SANDBOX', 'INV', 3, '3', 'EUR', '46733123450',
                            'MSISDN', '46733123999', ?, 'CANCELLED', now(), 'https://m.example/inv', ?, now(), now())""",
                        invoice, merchant, UUID.randomUUID(), UUID.randomUUID(), invoice.toString().substring(0, 8),
                        invoice.equals(invoiceDue) ? "DUE" : "SENT");
            }
            h.execute("""
                    INSERT INTO momo_invoice_callback_attempt (invoice_id, url, http_status, error, duration_ms,
                        attempted_at)
                    VALUES (?, 'https://m.example/inv', NULL, 'ConnectException', 3, now() - interval '2 minutes')""",
                    invoiceSent);
            h.execute("""
                    INSERT INTO momo_voucher (id, merchant_id, reference_id, token, secret_hash, amount, currency,
                        country, correspondent, receiver, callback_url, status, created_at, updated_at)
                    VALUES (?, ?, 'v-1', 'token-1', 'hash', 2, 'EUR', 'XMS', 'MOMO_SANDBOX', '{}',
                        'https://m.example/v', 'REDEEMED', now(), now())""", voucher, merchant);
            h.execute("""
                    INSERT INTO momo_voucher_callback_attempt (voucher_id, url, http_status, duration_ms, attempted_at)
                    VALUES (?, 'https://m.example/v', 200, 4, now() - interval '30 seconds')""", voucher);
        });

        migrate(url, "8");

        assertThat(strings(jdbi, """
                        SELECT subject_kind || ' ' || subject_id || ' ' || coalesce(method, '-') || ' '
                               || coalesce(http_status::text, error) || ' ' || (payment_id IS NOT NULL)
                               || ' ' || (outbox_id IS NOT NULL)
                        FROM callback_attempt ORDER BY id"""))
                .containsExactly(
                        "payment " + payment + " - 500 true true",
                        "momo-preapproval pre-1 PUT 200 false false",
                        "momo-invoice " + invoiceSent + " POST ConnectException false false",
                        "payment " + payment + " - 200 true true",
                        "momo-voucher " + voucher + " POST 200 false false");
        assertThat(strings(jdbi, """
                        SELECT count(*)::text FROM information_schema.tables WHERE table_name IN ('webhook_attempt',
                            'momo_callback_attempt', 'momo_invoice_callback_attempt', 'momo_voucher_callback_attempt')"""))
                .as("old attempt tables left").containsExactly("0");
        assertThat(strings(jdbi, """
                        SELECT kind || ' ' || subject_kind || ' ' || subject_id || ' ' || state FROM outbox ORDER BY id"""))
                .containsExactly(
                        "WEBHOOK payment " + payment + " DONE",
                        "WEBHOOK momo-invoice " + invoiceDue + " PENDING");
        assertThat(strings(jdbi, "SELECT callback_state FROM momo_invoice WHERE id = '" + invoiceDue + "'"))
                .containsExactly("SENT");
    }

    private static List<String> strings(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private static void migrate(String url, String target) {
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").target(target)
                .load().migrate();
    }
}
