package io.kulipa.dialects.momo.store;

import io.kulipa.dialects.momo.credentials.ApiUser;
import io.kulipa.dialects.momo.credentials.CallbackHost;
import io.kulipa.dialects.momo.credentials.IssuedToken;
import io.kulipa.dialects.momo.credentials.MomoCredentialStore;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.SubscriptionKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** MoMo subscription keys, API users, API keys and access tokens (all as digests) in PostgreSQL. */
public final class JdbiMomoCredentialStore implements MomoCredentialStore {

    private final Jdbi jdbi;

    public JdbiMomoCredentialStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<SubscriptionKey> subscriptionKeys(String keyDigest) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT merchant_id, product FROM momo_subscription_key WHERE key_digest = :d")
                .bind("d", keyDigest)
                .map((rs, ctx) -> new SubscriptionKey(rs.getObject("merchant_id", UUID.class),
                        product(rs.getString("product"))))
                .list());
    }

    @Override
    public boolean replaceSubscriptionKey(UUID merchantId, MomoProduct product, String keyDigest) {
        return jdbi.inTransaction(h -> {
            // Serialises writers of the same key, so that two merchants cannot both take it.
            h.execute("SELECT pg_advisory_xact_lock(hashtext(?))", keyDigest);
            boolean taken = h.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM momo_subscription_key
                                           WHERE key_digest = :d AND merchant_id <> :m)""")
                    .bind("d", keyDigest).bind("m", merchantId).mapTo(Boolean.class).one();
            if (taken) {
                return false;
            }
            h.createUpdate("DELETE FROM momo_subscription_key WHERE merchant_id = :m AND product = :p")
                    .bind("m", merchantId).bind("p", product.wireName()).execute();
            h.createUpdate("""
                            INSERT INTO momo_subscription_key (key_digest, product, merchant_id)
                            VALUES (:d, :p, :m)""")
                    .bind("d", keyDigest).bind("p", product.wireName()).bind("m", merchantId).execute();
            return true;
        });
    }

    @Override
    public boolean insertApiUser(ApiUser user) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO momo_api_user (id, merchant_id, provider_callback_host, created_at)
                        VALUES (:id, :m, :host, :at)
                        ON CONFLICT (id) DO NOTHING""")
                .bind("id", user.id()).bind("m", user.merchantId())
                .bind("host", user.providerCallbackHost().host()).bind("at", utc(user.createdAt()))
                .execute()) == 1;
    }

    @Override
    public Optional<ApiUser> apiUser(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, merchant_id, provider_callback_host, created_at
                        FROM momo_api_user WHERE id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new ApiUser(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
                        new CallbackHost(rs.getString("provider_callback_host")),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .findOne());
    }

    @Override
    public void replaceApiKey(UUID apiUserId, String keyDigest, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO momo_api_key (api_user_id, key_digest, created_at) VALUES (:u, :d, :at)
                        ON CONFLICT (api_user_id) DO UPDATE SET key_digest = EXCLUDED.key_digest,
                            created_at = EXCLUDED.created_at""")
                .bind("u", apiUserId).bind("d", keyDigest).bind("at", utc(at)).execute());
    }

    @Override
    public Optional<String> apiKeyDigest(UUID apiUserId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT key_digest FROM momo_api_key WHERE api_user_id = :u")
                .bind("u", apiUserId).mapTo(String.class).findOne());
    }

    @Override
    public void insertAccessToken(String tokenDigest, IssuedToken token) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM momo_access_token WHERE api_user_id = :u AND expires_at < :now")
                    .bind("u", token.apiUserId()).bind("now", utc(token.issuedAt())).execute();
            h.createUpdate("""
                            INSERT INTO momo_access_token (token_digest, api_user_id, merchant_id, product,
                                issued_at, expires_at)
                            VALUES (:d, :u, :m, :p, :issued, :expires)""")
                    .bind("d", tokenDigest).bind("u", token.apiUserId()).bind("m", token.merchantId())
                    .bind("p", token.product().wireName()).bind("issued", utc(token.issuedAt()))
                    .bind("expires", utc(token.expiresAt())).execute();
        });
    }

    @Override
    public Optional<IssuedToken> accessToken(String tokenDigest) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT api_user_id, merchant_id, product, issued_at, expires_at
                        FROM momo_access_token WHERE token_digest = :d""")
                .bind("d", tokenDigest)
                .map((rs, ctx) -> new IssuedToken(rs.getObject("api_user_id", UUID.class),
                        rs.getObject("merchant_id", UUID.class), product(rs.getString("product")),
                        rs.getObject("issued_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
                .findOne());
    }

    private static MomoProduct product(String wire) {
        return MomoProduct.fromWire(wire).orElseThrow(() -> new IllegalStateException("unknown MoMo product " + wire));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
