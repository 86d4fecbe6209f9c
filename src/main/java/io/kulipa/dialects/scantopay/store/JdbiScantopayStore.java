package io.kulipa.dialects.scantopay.store;

import io.kulipa.dialects.scantopay.Code;
import io.kulipa.dialects.scantopay.CodeStore;
import io.kulipa.dialects.scantopay.Profile;
import io.kulipa.dialects.scantopay.ProfileStore;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Scan to Pay's own SQL (V34): profiles, codes, transaction ids, airtime per day. */
public final class JdbiScantopayStore implements io.kulipa.dialects.scantopay.ScantopayPorts {

    private static final String PROFILE = "merchant_id, username, auth_mode, password_digest, public_key_pem, roles, "
            + "suspended, notification_url, notification_key IS NOT NULL AS has_key";
    private static final String CODE = "code, merchant_id, amount, merchant_reference, use_once, expires_at, "
            + "short_description, uses, created_at";
    /** The most of a refusal's reason kept. */
    static final int REASON_CHARS_MAX = 500;
    private final Jdbi jdbi;

    public JdbiScantopayStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private static Profile profile(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Profile(rs.getObject("merchant_id", UUID.class), rs.getString("username"),
                Profile.Mode.valueOf(rs.getString("auth_mode")), rs.getString("password_digest"),
                rs.getString("public_key_pem"), Arrays.stream(rs.getString("roles").split(",")).filter(s -> !s.isBlank())
                .map(Profile.Role::valueOf).collect(Collectors.toSet()), rs.getBoolean("suspended"),
                rs.getString("notification_url"), rs.getBoolean("has_key"));
    }

    private static Code code(ResultSet rs, StatementContext ctx) throws SQLException {
        BigDecimal amount = rs.getBigDecimal("amount");
        Timestamp expires = rs.getTimestamp("expires_at");
        return new Code(rs.getString("code"), rs.getObject("merchant_id", UUID.class),
                amount == null ? null : amount.setScale(2, java.math.RoundingMode.UNNECESSARY),
                rs.getString("merchant_reference"), rs.getBoolean("use_once"),
                expires == null ? null : expires.toInstant(), rs.getString("short_description"), rs.getInt("uses"),
                rs.getTimestamp("created_at").toInstant());
    }

    @Override
    public Optional<Profile> byUsername(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PROFILE + " FROM scantopay_profile WHERE username = :u")
                .bind("u", username).map(JdbiScantopayStore::profile).findOne());
    }

    @Override
    public Optional<Profile> byMerchant(UUID merchantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + PROFILE + " FROM scantopay_profile WHERE merchant_id = :m")
                .bind("m", merchantId).map(JdbiScantopayStore::profile).findOne());
    }

    @Override
    public boolean save(Profile p) {
        String roles = p.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(","));
        return jdbi.inTransaction(h -> {
            Optional<UUID> owner = h.createQuery("SELECT merchant_id FROM scantopay_profile WHERE username = :u")
                    .bind("u", p.username()).mapTo(UUID.class).findOne();
            if (owner.isPresent() && !owner.get().equals(p.merchantId())) {
                return false;
            }
            h.createUpdate("""
                            INSERT INTO scantopay_profile (merchant_id, username, auth_mode, password_digest, public_key_pem, roles)
                            VALUES (:m, :u, :mode, :pw, :pem, :roles)
                            ON CONFLICT (merchant_id) DO UPDATE SET username = :u, auth_mode = :mode, password_digest = :pw,
                                public_key_pem = :pem, roles = :roles, updated_at = now()""")
                    .bind("m", p.merchantId()).bind("u", p.username()).bind("mode", p.mode().name())
                    .bind("pw", p.mode() == Profile.Mode.BASIC ? p.passwordDigest() : null)
                    .bind("pem", p.mode() == Profile.Mode.BEARER ? p.publicKeyPem() : null)
                    .bind("roles", roles).execute();
            return true;
        });
    }

    @Override
    public void suspend(UUID merchantId, boolean suspended) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE scantopay_profile SET suspended = :s, updated_at = now() "
                + "WHERE merchant_id = :m").bind("s", suspended).bind("m", merchantId).execute());
    }

    @Override
    public void notification(UUID merchantId, String url, byte[] sealedKey, String keyId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE scantopay_profile SET notification_url = :u, notification_key = :k, "
                        + "notification_key_id = :id, updated_at = now() WHERE merchant_id = :m")
                .bind("u", url).bind("k", sealedKey).bind("id", keyId).bind("m", merchantId).execute());
    }

    @Override
    public Optional<Sealed> notificationKey(UUID merchantId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT notification_key, notification_key_id FROM scantopay_profile "
                        + "WHERE merchant_id = :m AND notification_key IS NOT NULL")
                .bind("m", merchantId).map((rs, ctx) -> new Sealed(rs.getBytes(1), rs.getString(2))).findOne());
    }

    @Override
    public boolean insert(Code c) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO scantopay_code (code, merchant_id, amount, merchant_reference, use_once, expires_at,
                            short_description)
                        VALUES (:code, :m, :amount, :ref, :once, :expires, :desc) ON CONFLICT (code) DO NOTHING""")
                .bind("code", c.code()).bind("m", c.merchantId()).bind("amount", c.amount())
                .bind("ref", c.merchantReference()).bind("once", c.useOnce())
                .bind("expires", c.expiresAt() == null ? null : Timestamp.from(c.expiresAt()))
                .bind("desc", c.shortDescription()).execute()) == 1;
    }

    @Override
    public Optional<Code> find(String code) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + CODE + " FROM scantopay_code WHERE code = :c")
                .bind("c", code).map(JdbiScantopayStore::code).findOne());
    }

    @Override
    public boolean use(String code) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE scantopay_code SET uses = uses + 1 WHERE code = :c "
                        + "AND (NOT use_once OR uses = 0) AND (expires_at IS NULL OR expires_at > now())")
                .bind("c", code).execute()) == 1;
    }

    @Override
    public void unuse(String code) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE scantopay_code SET uses = uses - 1 WHERE code = :c AND uses > 0")
                .bind("c", code).execute());
    }

    @Override
    public long nextTxId() {
        return jdbi.withHandle(h -> h.createQuery("SELECT nextval('scantopay_tx_id')").mapTo(Long.class).one());
    }

    @Override
    public boolean addAirtime(String msisdn, LocalDate day, BigDecimal amount, BigDecimal amountMax, int countMax) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO scantopay_airtime_day (msisdn, day) VALUES (:m, :d) ON CONFLICT DO NOTHING")
                    .bind("m", msisdn).bind("d", day).execute();
            return h.createUpdate("UPDATE scantopay_airtime_day SET amount = amount + :a, count = count + 1 "
                            + "WHERE msisdn = :m AND day = :d AND amount + :a <= :max AND count + 1 <= :n")
                    .bind("a", amount).bind("m", msisdn).bind("d", day).bind("max", amountMax).bind("n", countMax)
                    .execute() == 1;
        });
    }

    @Override
    public void removeAirtime(String msisdn, LocalDate day, BigDecimal amount) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE scantopay_airtime_day SET amount = greatest(amount - :a, 0), "
                        + "count = greatest(count - 1, 0) WHERE msisdn = :m AND day = :d")
                .bind("a", amount).bind("m", msisdn).bind("d", day).execute());
    }

    /** The merchant's WIG purchases with this merchant reference, oldest first. */
    public java.util.List<UUID> referenced(UUID merchantId, String reference, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM payment WHERE merchant_id = :m AND dialect = 'scantopay' AND kind = 'DEPOSIT'
                          AND metadata @> jsonb_build_array(jsonb_build_object('fieldName', 'merchantReference',
                              'fieldValue', CAST(:ref AS text)))
                        ORDER BY created_at, id LIMIT :n""")
                .bind("m", merchantId).bind("ref", reference).bind("n", limit).mapTo(UUID.class).list());
    }

    @Override
    public java.util.List<UUID> due(java.time.Duration window, java.time.Duration grace, java.time.Duration lookBack,
                                    int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT p.id FROM payment p
                        WHERE p.dialect = 'scantopay' AND p.kind = 'DEPOSIT' AND p.state = 'COMPLETED'
                          AND p.callback_url IS NOT NULL
                          AND p.created_at > now() - make_interval(secs => :back)
                          AND p.updated_at < now() - make_interval(secs => :due)
                          AND p.updated_at > now() - make_interval(secs => :back)
                          AND NOT EXISTS (SELECT 1 FROM payment r WHERE r.merchant_id = p.merchant_id
                              AND r.dialect = 'scantopay' AND r.kind = 'REFUND' AND r.client_ref = 'reversal-' || p.client_ref)
                          AND NOT EXISTS (SELECT 1 FROM callback_attempt a WHERE a.payment_id = p.id AND a.http_status = 200
                              AND a.attempted_at <= p.updated_at + make_interval(secs => :window))
                          AND NOT EXISTS (SELECT 1 FROM scantopay_reversal_refusal f WHERE f.purchase_id = p.id
                              AND (f.parked_at IS NOT NULL OR f.next_at > now()))
                        ORDER BY p.updated_at LIMIT :n""")
                .bind("due", (window.toMillis() + grace.toMillis()) / 1000.0).bind("back", lookBack.toSeconds() * 1.0)
                .bind("window", window.toMillis() / 1000.0).bind("n", limit).mapTo(UUID.class).list());
    }

    @Override
    public Counted refused(UUID purchaseId, String reason, java.util.function.IntFunction<java.time.Duration> delay,
                           java.util.function.IntPredicate park) {
        String why = reason.length() > REASON_CHARS_MAX ? reason.substring(0, REASON_CHARS_MAX) : reason;
        return jdbi.inTransaction(h -> {
            int attempts = h.createQuery("""
                            INSERT INTO scantopay_reversal_refusal AS f (purchase_id, attempts, last_reason, next_at,
                                first_refused_at, last_refused_at)
                            VALUES (:p, 1, :r, now(), now(), now())
                            ON CONFLICT (purchase_id) DO UPDATE SET attempts = f.attempts + 1, last_reason = :r,
                                last_refused_at = now()
                            RETURNING attempts""")
                    .bind("p", purchaseId).bind("r", why).mapTo(Integer.class).one();
            boolean parked = park.test(attempts);
            h.createUpdate("""
                            UPDATE scantopay_reversal_refusal SET next_at = now() + make_interval(secs => :d),
                                parked_at = CASE WHEN :parked THEN now() END
                            WHERE purchase_id = :p""")
                    .bind("p", purchaseId).bind("d", delay.apply(attempts).toMillis() / 1000.0).bind("parked", parked)
                    .execute();
            return new Counted(attempts, parked);
        });
    }

    @Override
    public java.util.List<Refused> refusals(int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT f.purchase_id, p.merchant_id, p.client_ref, f.attempts, f.last_reason, f.next_at,
                               f.parked_at, f.first_refused_at
                        FROM scantopay_reversal_refusal f JOIN payment p ON p.id = f.purchase_id
                        WHERE NOT EXISTS (SELECT 1 FROM payment r WHERE r.merchant_id = p.merchant_id
                              AND r.dialect = p.dialect AND r.kind = 'REFUND' AND r.client_ref = 'reversal-' || p.client_ref)
                        ORDER BY f.parked_at IS NULL, f.last_refused_at DESC LIMIT :n""")
                .bind("n", limit).map((rs, ctx) -> new Refused(rs.getObject("purchase_id", UUID.class),
                        rs.getObject("merchant_id", UUID.class), rs.getString("client_ref"), rs.getInt("attempts"),
                        rs.getString("last_reason"), rs.getTimestamp("next_at").toInstant(),
                        rs.getTimestamp("parked_at") == null ? null : rs.getTimestamp("parked_at").toInstant(),
                        rs.getTimestamp("first_refused_at").toInstant())).list());
    }

    @Override
    public Optional<UUID> retry(String transactionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        UPDATE scantopay_reversal_refusal f SET attempts = 0, parked_at = NULL, next_at = now()
                        FROM payment p
                        WHERE p.id = f.purchase_id AND p.dialect IN ('scantopay', 'scantopay-remote') AND p.kind = 'DEPOSIT'
                          AND p.client_ref = :t AND f.parked_at IS NOT NULL
                        RETURNING f.purchase_id""")
                .bind("t", transactionId).mapTo(UUID.class).findOne());
    }

    @Override
    public Optional<UUID> purchaseOf(UUID merchantId, String code, String merchantReference) {
        String byCode = io.kulipa.store.Json.write(java.util.List.of(java.util.Map.of("fieldName", "code",
                "fieldValue", code)));
        String byReference = io.kulipa.store.Json.write(java.util.List.of(java.util.Map.of("fieldName",
                "merchantReference", "fieldValue", merchantReference)));
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM payment WHERE merchant_id = :m AND dialect = 'scantopay' AND kind = 'DEPOSIT'
                          AND metadata @> CAST(:c AS jsonb) AND metadata @> CAST(:r AS jsonb)
                        ORDER BY created_at DESC LIMIT 1""")
                .bind("m", merchantId).bind("c", byCode).bind("r", byReference).mapTo(UUID.class).findOne());
    }
}
