package io.kulipa.dialects.momo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.kulipa.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * V9 on a database that already holds pre-approvals, consents and vouchers: each pre-approval and
 * consent gets the history it would have had (its creation and, when final, the move that
 * finished it), and the voucher history keeps its rows, now under the columns every history has.
 */
class OneHistoryMigrationTest {

    record Event(String from, String to, String event) {
    }

    @Test
    void existingRowsGetTheirCreationAndTheirFinalMoveAndOldVoucherRowsStayAsTheyWere() {
        String url = TestDatabase.newDatabase();
        flyway(url).target("7").load().migrate();
        Jdbi jdbi = Jdbi.create(url, "postgres", "");
        UUID merchant = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO merchant (id, name, token_digest) VALUES (?, 'old merchant', 'digest')", merchant);
            h.execute("INSERT INTO momo_api_user (id, merchant_id, provider_callback_host, created_at) "
                    + "VALUES (?, ?, 'webhook.site', now())", user, merchant);
        });
        UUID pending = preApproval(jdbi, merchant, user, "PENDING", null);
        UUID approved = preApproval(jdbi, merchant, user, "SUCCESSFUL", null);
        UUID expired = preApproval(jdbi, merchant, user, "FAILED", "EXPIRED");
        UUID asked = consent(jdbi, merchant, user, "PENDING");
        UUID rejected = consent(jdbi, merchant, user, "REJECTED");
        UUID redeemed = consent(jdbi, merchant, user, "REDEEMED");
        UUID voucher = voucher(jdbi, merchant);

        flyway(url).load().migrate();

        assertThat(events(jdbi, "momo_preapproval_event", "preapproval_id", pending))
                .containsExactly(new Event(null, "PENDING", "CREATED"));
        assertThat(events(jdbi, "momo_preapproval_event", "preapproval_id", approved))
                .containsExactly(new Event(null, "PENDING", "CREATED"), new Event("PENDING", "SUCCESSFUL", "SUCCESSFUL"));
        assertThat(events(jdbi, "momo_preapproval_event", "preapproval_id", expired))
                .containsExactly(new Event(null, "PENDING", "CREATED"), new Event("PENDING", "FAILED", "FAILED"));
        assertThat(events(jdbi, "momo_consent_event", "consent_id", asked))
                .containsExactly(new Event(null, "PENDING", "CREATED"));
        assertThat(events(jdbi, "momo_consent_event", "consent_id", rejected))
                .containsExactly(new Event(null, "PENDING", "CREATED"), new Event("PENDING", "REJECTED", "REJECTED"));
        assertThat(events(jdbi, "momo_consent_event", "consent_id", redeemed)).containsExactly(
                new Event(null, "PENDING", "CREATED"), new Event("PENDING", "APPROVED", "APPROVED"),
                new Event("APPROVED", "REDEEMED", "REDEEMED"));
        assertThat(events(jdbi, "momo_voucher_event", "voucher_id", voucher)).extracting(Event::from, Event::to)
                .containsExactly(tuple(null, "SUCCESSFUL"), tuple(null, "REDEEMED"));
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url) {
        return Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration");
    }

    private static UUID preApproval(Jdbi jdbi, UUID merchant, UUID user, String status, String reason) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO momo_preapproval (id, merchant_id, api_user_id, correspondent, msisdn, currency,
                    validity_secs, status, reason, expires_at, created_at, finished_at)
                VALUES (?, ?, ?, 'MTN_MOMO_ZMB', '260961234567', 'ZMW', 3600, ?, ?, now() + interval '1 hour',
                    now() - interval '1 minute', CASE WHEN ? = 'PENDING' THEN NULL ELSE now() END)""",
                id, merchant, user, status, reason, status));
        return id;
    }

    private static UUID consent(Jdbi jdbi, UUID merchant, UUID user, String status) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("""
                INSERT INTO momo_consent (id, auth_req_digest, merchant_id, api_user_id, product, msisdn, scope,
                    access_type, status, expires_at, created_at, finished_at)
                VALUES (?, ?, ?, ?, 'collection', '233241234567', 'profile', 'offline', ?, now() + interval '2 minutes',
                    now() - interval '1 minute', CASE WHEN ? = 'PENDING' THEN NULL ELSE now() END)""",
                id, "digest-" + id, merchant, user, status, status));
        return id;
    }

    private static UUID voucher(Jdbi jdbi, UUID merchant) {
        UUID id = UUID.randomUUID();
        jdbi.useHandle(h -> {
            h.execute("""
                    INSERT INTO momo_voucher (id, merchant_id, reference_id, token, secret_hash, amount, currency,
                        country, correspondent, receiver, status, created_at, updated_at)
                    VALUES (?, ?, 'ref-1', '123456789012', 'pbkdf2$1$a$b', 10, 'ZMW', 'ZMB', 'MTN_MOMO_ZMB',
                        '{"msisdn":"260971234567"}', 'REDEEMED', now(), now())""", id, merchant);
            h.execute("INSERT INTO momo_voucher_event (voucher_id, event, status, at) VALUES (?, 'CREATED', "
                    + "'SUCCESSFUL', now()), (?, 'REDEEMED', 'REDEEMED', now())", id, id);
        });
        return id;
    }

    private static List<Event> events(Jdbi jdbi, String table, String subjectColumn, UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT from_status, to_status, event FROM " + table + " WHERE "
                        + subjectColumn + " = :id ORDER BY id")
                .bind("id", id).map((rs, ctx) -> new Event(rs.getString("from_status"), rs.getString("to_status"),
                        rs.getString("event")))
                .list());
    }
}
