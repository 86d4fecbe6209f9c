package io.kulipa.dialects.momo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.dialects.momo.credentials.GrantingSubscriptionKeys;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.dialects.momo.store.JdbiMomoCredentialStore;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.states.TransitionTable;
import io.kulipa.outbox.WorkHandOff;
import io.kulipa.store.CallbackOutbox;
import io.kulipa.store.Database;
import io.kulipa.store.JdbiMerchantStore;
import io.kulipa.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A fresh, migrated PostgreSQL database for the MoMo use-case tests, with what those use cases
 * stand on (merchants, subscription keys, API users) and a reader of the append-only histories.
 */
public final class MomoUseCaseDb implements AutoCloseable {

    private static final int POOL_SIZE = 8;

    private final Database db;
    private final JdbiMomoCredentialStore credentials;
    private final OnboardingMerchant onboarding;

    /** A merchant with one subscription key for every product, an API user and its key. */
    public record Merchant(UUID id, String name, String subscriptionKey, UUID apiUser, String apiKey) {
    }

    /** One history row: from_status, to_status, event, detail. */
    public record Row(String from, String to, String event, String detail) {
    }

    public MomoUseCaseDb(String name) {
        try {
            db = Database.open(new Database.Settings(TestDatabase.newDatabase(), "postgres", "",
                    Files.createTempDirectory("kulipa-" + name), POOL_SIZE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        credentials = new JdbiMomoCredentialStore(db.jdbi());
        onboarding = new OnboardingMerchant(new JdbiMerchantStore(db.jdbi()));
    }

    public Jdbi jdbi() {
        return db.jdbi();
    }

    /** The callback outbox the dialect's stores write to; nothing is handed to a worker here. */
    public CallbackOutbox callbackOutbox() {
        return new CallbackOutbox("use-case-test", java.time.Duration.ofMinutes(5), WorkHandOff.NONE);
    }

    /** The states of the callback jobs committed for a subject, oldest first. */
    public List<String> callbacks(String subjectKind, UUID subjectId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT state FROM outbox WHERE kind = 'WEBHOOK' "
                        + "AND subject_kind = :k AND subject_id = :id ORDER BY id")
                .bind("k", subjectKind).bind("id", subjectId.toString()).mapTo(String.class).list());
    }

    public JdbiMomoCredentialStore credentials() {
        return credentials;
    }

    public Merchant merchant(Clock clock) {
        String name = "Momo merchant " + UUID.randomUUID();
        UUID id = onboarding.onboard(name, Set.of(), Map.of(), null).merchant().id();
        String key = new GrantingSubscriptionKeys(credentials).grantAll(id, null);
        ProvisioningApiUser provisioning = new ProvisioningApiUser(credentials, clock);
        UUID user = UUID.randomUUID();
        provisioning.create(id, user, "webhook.site");
        return new Merchant(id, name, key, user, provisioning.createApiKey(id, user).orElseThrow());
    }

    /** A count by SQL with named parameters. */
    public int count(String sql, Map<String, ?> binds) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).bindMap(binds).mapTo(Integer.class).one());
    }

    /** The rows of one subject's history, oldest first. */
    public List<Row> history(String table, String subjectColumn, UUID subjectId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT from_status, to_status, event, detail FROM " + table
                        + " WHERE " + subjectColumn + " = :id ORDER BY id")
                .bind("id", subjectId)
                .map((rs, ctx) -> new Row(rs.getString("from_status"), rs.getString("to_status"),
                        rs.getString("event"), rs.getString("detail")))
                .list());
    }

    /**
     * The history tells one story the table allows: it starts with the creation into the initial
     * state, each row leaves the state the previous one reached, and every move is in the table
     * (a row that stays in its state is a note).
     */
    public static <S extends Enum<S>> void assertFollows(List<Row> rows, TransitionTable<S> table) {
        assertThat(rows).as("history").isNotEmpty();
        assertThat(rows.getFirst().from()).as("creation").isNull();
        assertThat(rows.getFirst().to()).as("creation").isEqualTo(table.initial().name());
        for (int i = 1; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertThat(row.from()).as("row %d leaves where row %d arrived", i, i - 1).isEqualTo(rows.get(i - 1).to());
            if (!row.from().equals(row.to())) {
                assertThat(table.allowed(Enum.valueOf(table.type(), row.from()), Enum.valueOf(table.type(), row.to())))
                        .as("%s: %s -> %s", table, row.from(), row.to()).isTrue();
            }
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
