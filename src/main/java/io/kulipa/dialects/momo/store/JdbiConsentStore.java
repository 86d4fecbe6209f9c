package io.kulipa.dialects.momo.store;

import io.kulipa.store.PaymentRows;

import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.consent.Consent;
import io.kulipa.dialects.momo.consent.ConsentStore;
import io.kulipa.dialects.momo.consent.IdentityToken;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Consents and identity tokens (as digests) in PostgreSQL. */
public final class JdbiConsentStore implements ConsentStore {

    private static final String COLUMNS = "id, merchant_id, api_user_id, product, msisdn, scope, access_type, "
            + "callback_url, status, expires_at, created_at";
    private static final RowMapper<Consent> CONSENT = JdbiConsentStore::consent;
    private final Jdbi jdbi;

    public JdbiConsentStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static Consent consent(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Consent(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
                rs.getObject("api_user_id", UUID.class), product(rs.getString("product")), rs.getString("msisdn"),
                rs.getString("scope"), rs.getString("access_type"), rs.getString("callback_url"),
                Consent.Status.valueOf(rs.getString("status")), PaymentRows.instant(rs, "expires_at"),
                PaymentRows.instant(rs, "created_at"));
    }

    private static MomoProduct product(String wireName) {
        return Arrays.stream(MomoProduct.values()).filter(p -> p.wireName().equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown product in momo_consent: " + wireName));
    }

    @Override
    public void insert(Consent c, String authReqDigest) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO momo_consent (id, auth_req_digest, merchant_id, api_user_id, product, msisdn,
                                scope, access_type, callback_url, status, expires_at, created_at)
                            VALUES (:id, :digest, :merchant, :apiUser, :product, :msisdn, :scope, :accessType,
                                :callbackUrl, :status, :expires, :created)""")
                    .bind("id", c.id()).bind("digest", authReqDigest).bind("merchant", c.merchantId())
                    .bind("apiUser", c.apiUserId()).bind("product", c.product().wireName()).bind("msisdn", c.msisdn())
                    .bind("scope", c.scope()).bind("accessType", c.accessType()).bind("callbackUrl", c.callbackUrl())
                    .bind("status", c.status().name()).bind("expires", PaymentRows.ts(c.expiresAt()))
                    .bind("created", PaymentRows.ts(c.createdAt())).execute();
            MomoHistory.CONSENT.append(h, c.id(), null, c.status(), "CREATED", "expires " + c.expiresAt());
        });
    }

    @Override
    public Optional<Consent> byAuthReq(String authReqDigest) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM momo_consent WHERE auth_req_digest = :d")
                .bind("d", authReqDigest).map(CONSENT).findOne());
    }

    @Override
    public Optional<Consent> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM momo_consent WHERE id = :id")
                .bind("id", id).map(CONSENT).findOne());
    }

    @Override
    public boolean move(UUID id, Consent.Status from, Consent.Status to) {
        Consent.Status.TABLE.requireAllowed(from, to);
        return jdbi.inTransaction(h -> move(h, id, from, to));
    }

    private static boolean move(Handle h, UUID id, Consent.Status from, Consent.Status to) {
        boolean moved = h.createUpdate("UPDATE momo_consent SET status = :to, finished_at = now() "
                        + "WHERE id = :id AND status = :from")
                .bind("to", to.name()).bind("id", id).bind("from", from.name()).execute() == 1;
        if (moved) {
            MomoHistory.CONSENT.append(h, id, from, to, to.name(), null);
        }
        return moved;
    }

    @Override
    public boolean redeem(UUID id, Map<String, IdentityToken> tokensByDigest) {
        Consent.Status.TABLE.requireAllowed(Consent.Status.APPROVED, Consent.Status.REDEEMED);
        return jdbi.inTransaction(h -> {
            if (!move(h, id, Consent.Status.APPROVED, Consent.Status.REDEEMED)) {
                return false;
            }
            tokensByDigest.forEach((digest, token) -> insertToken(h, digest, token));
            return true;
        });
    }

    private static void insertToken(Handle h, String tokenDigest, IdentityToken t) {
        h.createUpdate("""
                        INSERT INTO momo_oauth2_token (token_digest, kind, consent_id, merchant_id, api_user_id, msisdn,
                            scope, issued_at, expires_at)
                        VALUES (:d, :kind, :consent, :merchant, :apiUser, :msisdn, :scope, :issued, :expires)""")
                .bind("d", tokenDigest).bind("kind", t.kind().name()).bind("consent", t.consentId())
                .bind("merchant", t.merchantId()).bind("apiUser", t.apiUserId()).bind("msisdn", t.msisdn())
                .bind("scope", t.scope()).bind("issued", PaymentRows.ts(t.issuedAt()))
                .bind("expires", PaymentRows.ts(t.expiresAt())).execute();
    }

    @Override
    public Optional<IdentityToken> token(String tokenDigest) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT kind, consent_id, merchant_id, api_user_id, msisdn, scope, issued_at, expires_at
                        FROM momo_oauth2_token WHERE token_digest = :d""")
                .bind("d", tokenDigest)
                .map((rs, ctx) -> new IdentityToken(IdentityToken.Kind.valueOf(rs.getString("kind")),
                        rs.getObject("consent_id", UUID.class), rs.getObject("merchant_id", UUID.class),
                        rs.getObject("api_user_id", UUID.class), rs.getString("msisdn"), rs.getString("scope"),
                        PaymentRows.instant(rs, "issued_at"), PaymentRows.instant(rs, "expires_at")))
                .findOne());
    }
}
