package io.kulipa.dialects.jenga.store;

import io.kulipa.dialects.jenga.credentials.IssuedToken;
import io.kulipa.dialects.jenga.credentials.JengaCredentialStore;
import io.kulipa.dialects.jenga.credentials.JengaMerchant;
import io.kulipa.dialects.jenga.pushes.PushStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Jenga merchant credentials, account numbers and access tokens (secrets as digests) in PostgreSQL. */
public final class JdbiJengaCredentialStore implements JengaCredentialStore, PushStore {

    private static final String COLUMNS = "merchant_id, merchant_code, api_key_digest, secret_digest, public_key_pem";
    /** No merchant has more accounts than this; a bound on what one look-up returns. */
    private static final int ACCOUNTS_MAX = 100;

    private final Jdbi jdbi;

    public JdbiJengaCredentialStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean upsert(JengaMerchant m, Instant at) {
        return jdbi.inTransaction(h -> {
            // Serialises grants, so that two merchants cannot both take one code or key.
            h.execute("SELECT pg_advisory_xact_lock(hashtext('jenga_merchant'))");
            boolean taken = h.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM jenga_merchant WHERE merchant_id <> :m
                                           AND (merchant_code = :code OR api_key_digest = :key))""")
                    .bind("m", m.merchantId()).bind("code", m.merchantCode()).bind("key", m.apiKeyDigest())
                    .mapTo(Boolean.class).one();
            if (taken) {
                return false;
            }
            h.createUpdate("""
                            INSERT INTO jenga_merchant (merchant_id, merchant_code, api_key_digest, secret_digest,
                                public_key_pem, updated_at)
                            VALUES (:m, :code, :key, :secret, :pem, :at)
                            ON CONFLICT (merchant_id) DO UPDATE SET merchant_code = EXCLUDED.merchant_code,
                                api_key_digest = EXCLUDED.api_key_digest, secret_digest = EXCLUDED.secret_digest,
                                public_key_pem = EXCLUDED.public_key_pem, updated_at = EXCLUDED.updated_at""")
                    .bind("m", m.merchantId()).bind("code", m.merchantCode()).bind("key", m.apiKeyDigest())
                    .bind("secret", m.secretDigest()).bind("pem", m.publicKeyPem()).bind("at", utc(at)).execute();
            return true;
        });
    }

    @Override
    public Optional<JengaMerchant> byMerchant(UUID merchantId) {
        return jdbi.withHandle(h -> map(h.createQuery("SELECT " + COLUMNS + " FROM jenga_merchant WHERE merchant_id = :v")
                .bind("v", merchantId)).findOne());
    }

    @Override
    public Optional<JengaMerchant> byApiKeyDigest(String apiKeyDigest) {
        return jdbi.withHandle(h -> map(h.createQuery("SELECT " + COLUMNS + " FROM jenga_merchant WHERE api_key_digest = :v")
                .bind("v", apiKeyDigest)).findOne());
    }

    private static org.jdbi.v3.core.result.ResultIterable<JengaMerchant> map(Query q) {
        return q.map((rs, ctx) -> new JengaMerchant(rs.getObject("merchant_id", UUID.class),
                rs.getString("merchant_code"), rs.getString("api_key_digest"), rs.getString("secret_digest"),
                rs.getString("public_key_pem")));
    }

    @Override
    public void replacePublicKey(UUID merchantId, String publicKeyPem, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE jenga_merchant SET public_key_pem = :pem, updated_at = :at "
                        + "WHERE merchant_id = :m")
                .bind("pem", publicKeyPem).bind("at", utc(at)).bind("m", merchantId).execute());
    }

    @Override
    public void replaceSecret(UUID merchantId, String secretDigest, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE jenga_merchant SET secret_digest = :d, updated_at = :at "
                        + "WHERE merchant_id = :m")
                .bind("d", secretDigest).bind("at", utc(at)).bind("m", merchantId).execute());
    }

    @Override
    public boolean addAccount(UUID merchantId, String accountNumber) {
        return jdbi.withHandle(h -> {
            h.createUpdate("INSERT INTO jenga_account (account_number, merchant_id) VALUES (:a, :m) "
                            + "ON CONFLICT (account_number) DO NOTHING")
                    .bind("a", accountNumber).bind("m", merchantId).execute();
            return h.createQuery("SELECT merchant_id FROM jenga_account WHERE account_number = :a")
                    .bind("a", accountNumber).mapTo(UUID.class).one().equals(merchantId);
        });
    }

    @Override
    public List<String> accounts(UUID merchantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT account_number FROM jenga_account WHERE merchant_id = :m "
                        + "ORDER BY created_at, account_number LIMIT " + ACCOUNTS_MAX)
                .bind("m", merchantId).mapTo(String.class).list());
    }

    @Override
    public void insertToken(String tokenDigest, String refreshDigest, IssuedToken token) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM jenga_access_token WHERE merchant_id = :m AND expires_at < :now")
                    .bind("m", token.merchantId()).bind("now", utc(token.issuedAt())).execute();
            h.createUpdate("""
                            INSERT INTO jenga_access_token (token_digest, refresh_digest, merchant_id, issued_at,
                                expires_at)
                            VALUES (:d, :r, :m, :issued, :expires)""")
                    .bind("d", tokenDigest).bind("r", refreshDigest).bind("m", token.merchantId())
                    .bind("issued", utc(token.issuedAt())).bind("expires", utc(token.expiresAt())).execute();
        });
    }

    @Override
    public Optional<IssuedToken> token(String tokenDigest) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT merchant_id, issued_at, expires_at FROM jenga_access_token WHERE token_digest = :d""")
                .bind("d", tokenDigest)
                .map((rs, ctx) -> new IssuedToken(rs.getObject("merchant_id", UUID.class),
                        rs.getObject("issued_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
                .findOne());
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
