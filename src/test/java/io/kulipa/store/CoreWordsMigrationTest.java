package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kulipa.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * V10 rewrites the failure codes stored in MoMo's words before issue 8 into the core's, leaves
 * every other code and the history as written, and makes client ids unique per dialect.
 */
class CoreWordsMigrationTest {

    private static final Map<String, String> OLD_TO_CORE = Map.of(
            "EXPIRED", "APPROVAL_EXPIRED",
            "NOT_ALLOWED", "NOT_ALLOWED_BY_OPERATOR",
            "SERVICE_UNAVAILABLE", "OPERATOR_UNAVAILABLE",
            "COULD_NOT_PERFORM_TRANSACTION", "OPERATOR_DECLINED",
            "INTERNAL_PROCESSING_ERROR", "OTHER_ERROR",
            "NOT_ALLOWED_TARGET_ENVIRONMENT", "OTHER_ERROR",
            "INVALID_CALLBACK_URL_HOST", "OTHER_ERROR",
            "PAYMENT_NOT_APPROVED", "PAYMENT_NOT_APPROVED",
            "INVALID_CURRENCY", "INVALID_CURRENCY");

    @Test
    void storedMomoWordsBecomeCoreCodesAndIdsBecomeEachDialectsOwn() {
        String url = TestDatabase.newDatabase();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").target("7")
                .load().migrate();
        Jdbi jdbi = Jdbi.create(url, "postgres", "");
        UUID merchant = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("INSERT INTO merchant (id, name, token_digest) VALUES (?, 'm', 'digest')",
                merchant));
        OLD_TO_CORE.keySet().forEach(old -> jdbi.useHandle(h -> {
            UUID id = UUID.randomUUID();
            h.execute("""
                    INSERT INTO payment (id, merchant_id, kind, client_ref, dialect, state, amount, amount_text,
                        currency, country, correspondent, msisdn, fingerprint, failure_code, created_at, updated_at)
                    VALUES (?, ?, 'DEPOSIT', ?, 'momo', 'FAILED', 1, '1', 'EUR', 'SWE', 'MTN_MOMO_SANDBOX',
                        '46733123450', 'fp', ?, now(), now())""", id, merchant, old, old);
            h.execute("INSERT INTO payment_event (payment_id, event, detail) VALUES (?, 'FAILED', ?)", id, old);
            h.execute("""
                    INSERT INTO sim_transaction (reference, provider_ref, operation, correspondent, msisdn, amount,
                        currency, status, planned, failure_code, due_at)
                    VALUES (?, ?, 'DEPOSIT', 'MTN_MOMO_SANDBOX', '46733123450', 1, 'EUR', 'FAILED', ?, ?, now())""",
                    id.toString(), "SIM-" + id, old, old);
        }));

        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load()
                .migrate();

        OLD_TO_CORE.forEach((old, core) -> {
            String stored = jdbi.withHandle(h -> h.createQuery("SELECT failure_code FROM payment WHERE client_ref = ?")
                    .bind(0, old).mapTo(String.class).one());
            assertThat(stored).as(old).isEqualTo(core);
            String books = jdbi.withHandle(h -> h.createQuery("""
                            SELECT t.planned || '/' || t.failure_code FROM sim_transaction t
                            JOIN payment p ON p.id::text = t.reference WHERE p.client_ref = ?""")
                    .bind(0, old).mapTo(String.class).one());
            assertThat(books).as(old).isEqualTo(core + "/" + core);
        });
        List<String> history = jdbi.withHandle(h -> h.createQuery("SELECT detail FROM payment_event ORDER BY detail")
                .mapTo(String.class).list());
        assertThat(history).as("the history is left as written").containsExactlyInAnyOrderElementsOf(OLD_TO_CORE.keySet());

        String insert = """
                INSERT INTO payment (id, merchant_id, kind, client_ref, dialect, state, amount, amount_text, currency,
                    country, correspondent, msisdn, fingerprint, created_at, updated_at)
                VALUES (?, ?, 'DEPOSIT', 'shared-id', ?, 'ACCEPTED', 1, '1', 'ZMW', 'ZMB', 'MTN_MOMO_ZMB',
                    '260763000001', 'fp', now(), now())""";
        jdbi.useHandle(h -> h.execute(insert, UUID.randomUUID(), merchant, "pawapay"));
        jdbi.useHandle(h -> h.execute(insert, UUID.randomUUID(), merchant, "momo"));
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(insert, UUID.randomUUID(), merchant, "momo")))
                .hasMessageContaining("payment_client_ref_unique");
    }
}
