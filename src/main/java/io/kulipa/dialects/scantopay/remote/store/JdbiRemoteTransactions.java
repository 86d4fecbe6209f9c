package io.kulipa.dialects.scantopay.remote.store;

import io.kulipa.dialects.scantopay.remote.purchases.RemoteTransaction;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteTransactionStore;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The Remote API's lookups and purchases in PostgreSQL (V40). */
public final class JdbiRemoteTransactions implements RemoteTransactionStore {

    private static final String COLUMNS = """
            transaction_id, brand_id, msisdn, kind, value, code, vas_product, merchant_id, amount, poi, inputs_needed,
            inputs::text AS inputs, status, payment_id, card_hash, card_expiry, latitude, longitude, fraud_flag,
            created_at, claimed_at, purchased_at""";

    private final Jdbi jdbi;

    public JdbiRemoteTransactions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void add(RemoteTransaction t) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO stp_remote_transaction (transaction_id, brand_id, msisdn, kind, value, code, vas_product,
                            merchant_id, amount, poi, inputs_needed, inputs, status, created_at)
                        VALUES (:id, :brand, :msisdn, :kind, :value, :code, :vas, :merchant, :amount, :poi, :needed,
                            CAST(:inputs AS jsonb), :status, :at)""")
                .bind("id", t.transactionId()).bind("brand", t.brandId()).bind("msisdn", t.msisdn())
                .bind("kind", t.kind().name()).bind("value", t.value()).bind("code", t.code())
                .bind("vas", t.vasProduct()).bind("merchant", t.merchantId()).bind("amount", t.amount())
                .bind("poi", t.poi()).bind("needed", String.join(",", t.inputsNeeded())).bind("inputs", t.inputs())
                .bind("status", t.status().name()).bind("at", utc(t.createdAt())).execute());
    }

    @Override
    public Optional<RemoteTransaction> find(String transactionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM stp_remote_transaction "
                        + "WHERE transaction_id = :id").bind("id", transactionId)
                .map((rs, c) -> transaction(rs)).findOne());
    }

    @Override
    public Claim claim(String transactionId, String cardHash, String cardExpiry, Instant now, Instant staleBefore) {
        return jdbi.inTransaction(h -> {
            int won = h.createUpdate("""
                            UPDATE stp_remote_transaction SET status = 'PURCHASING', card_hash = :h, card_expiry = :e,
                                claimed_at = :now
                            WHERE transaction_id = :id AND (status = 'READY' OR (status = 'PURCHASING'
                                AND card_hash = :h AND card_expiry = :e AND claimed_at < :stale))""")
                    .bind("id", transactionId).bind("h", cardHash).bind("e", cardExpiry).bind("now", utc(now))
                    .bind("stale", utc(staleBefore)).execute();
            if (won == 1) {
                return Claim.CLAIMED;
            }
            var row = h.createQuery("SELECT status, card_hash, card_expiry FROM stp_remote_transaction "
                            + "WHERE transaction_id = :id").bind("id", transactionId).mapToMap().findOne();
            if (row.isEmpty() || row.get().get("card_hash") == null) {
                return Claim.BUSY;
            }
            boolean same = cardHash.equals(row.get().get("card_hash")) && cardExpiry.equals(row.get().get("card_expiry"));
            if (!same) {
                return Claim.OTHER_CARD;
            }
            return "PURCHASED".equals(row.get().get("status")) ? Claim.PURCHASED : Claim.BUSY;
        });
    }

    @Override
    public void release(String transactionId) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE stp_remote_transaction SET status = 'READY', card_hash = NULL, card_expiry = NULL,
                            claimed_at = NULL WHERE transaction_id = :id AND status = 'PURCHASING'""")
                .bind("id", transactionId).execute());
    }

    @Override
    public void purchased(String transactionId, UUID paymentId, BigDecimal latitude, BigDecimal longitude,
                          String fraudFlag, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE stp_remote_transaction SET status = 'PURCHASED', payment_id = :p, latitude = :lat,
                            longitude = :lon, fraud_flag = :flag, purchased_at = :at
                        WHERE transaction_id = :id AND status = 'PURCHASING'""")
                .bind("id", transactionId).bind("p", paymentId).bind("lat", latitude).bind("lon", longitude)
                .bind("flag", fraudFlag).bind("at", utc(at)).execute());
    }

    @Override
    public List<RemoteTransaction> history(UUID brandId, String msisdn, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + prefixed() + """
                         FROM stp_remote_transaction t JOIN payment p ON p.id = t.payment_id
                        WHERE t.brand_id = :b AND t.msisdn = :m AND t.status = 'PURCHASED' AND p.state = 'COMPLETED'
                          AND NOT EXISTS (SELECT 1 FROM payment r WHERE r.merchant_id = p.merchant_id
                              AND r.dialect = p.dialect AND r.kind = 'REFUND' AND r.client_ref = 'reversal-' || p.client_ref
                              AND r.state = 'COMPLETED')
                        ORDER BY t.purchased_at DESC, t.transaction_id DESC LIMIT :n""")
                .bind("b", brandId).bind("m", msisdn).bind("n", limit).map((rs, c) -> transaction(rs)).list());
    }

    private static String prefixed() {
        return Arrays.stream(COLUMNS.split(","))
                .map(String::strip).map(c -> "t." + c).reduce((a, b) -> a + ", " + b).orElseThrow();
    }

    @Override
    public Optional<RemoteTransaction> lastLocated(UUID brandId, String msisdn) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + """
                         FROM stp_remote_transaction WHERE brand_id = :b AND msisdn = :m AND status = 'PURCHASED'
                          AND latitude IS NOT NULL AND longitude IS NOT NULL
                        ORDER BY purchased_at DESC LIMIT 1""")
                .bind("b", brandId).bind("m", msisdn).map((rs, c) -> transaction(rs)).findOne());
    }

    @Override
    public List<String> codeInputs(String code) {
        return jdbi.withHandle(h -> h.createQuery("SELECT inputs FROM stp_remote_code_inputs WHERE code = :c")
                .bind("c", code).mapTo(String.class).findOne()).map(JdbiRemoteTransactions::list).orElse(List.of());
    }

    @Override
    public void setCodeInputs(String code, List<String> inputs, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO stp_remote_code_inputs (code, inputs, updated_at) VALUES (:c, :i, :at)
                        ON CONFLICT (code) DO UPDATE SET inputs = EXCLUDED.inputs, updated_at = EXCLUDED.updated_at""")
                .bind("c", code).bind("i", String.join(",", inputs)).bind("at", utc(at)).execute());
    }

    @Override
    public List<RemoteTransaction> undelivered(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + prefixed() + """
                         FROM stp_remote_transaction t JOIN payment p ON p.id = t.payment_id
                        WHERE t.kind = 'VAS' AND t.status = 'PURCHASED' AND p.state = 'COMPLETED'
                          AND NOT EXISTS (SELECT 1 FROM stp_remote_vas_delivery d WHERE d.transaction_id = t.transaction_id)
                        ORDER BY t.purchased_at LIMIT :n""")
                .bind("n", limit).map((rs, c) -> transaction(rs)).list());
    }

    @Override
    public boolean deliver(String transactionId, String product, String kind, String destination, BigDecimal amount,
                           String token, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO stp_remote_vas_delivery (transaction_id, product, kind, destination, amount, token,
                            delivered_at) VALUES (:t, :p, :k, :d, :a, :token, :at) ON CONFLICT DO NOTHING""")
                .bind("t", transactionId).bind("p", product).bind("k", kind).bind("d", destination).bind("a", amount)
                .bind("token", token).bind("at", utc(at)).execute() == 1);
    }

    @Override
    public BigDecimal airtime(String msisdn) {
        return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(sum(amount), 0) FROM stp_remote_vas_delivery "
                        + "WHERE destination = :m AND kind = 'AIRTIME'").bind("m", msisdn).mapTo(BigDecimal.class).one())
                .stripTrailingZeros();
    }

    @Override
    public int linkStarted(String transactionId, Instant staleBefore, int limit) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE stp_remote_transaction t SET status = 'PURCHASED', payment_id = s.payment_id,
                            purchased_at = s.created_at
                        FROM (SELECT r.transaction_id, p.id AS payment_id, p.created_at
                              FROM stp_remote_transaction r
                              JOIN payment p ON p.merchant_id = r.merchant_id AND p.kind = 'DEPOSIT'
                                            AND p.client_ref = r.transaction_id AND p.dialect = 'scantopay-remote'
                              WHERE r.status = 'PURCHASING' AND r.claimed_at < :stale
                                AND (CAST(:id AS text) IS NULL OR r.transaction_id = :id)
                              LIMIT :n) s
                        WHERE t.transaction_id = s.transaction_id AND t.status = 'PURCHASING'""")
                .bind("id", transactionId).bind("stale", utc(staleBefore)).bind("n", limit).execute());
    }

    @Override
    public int forget(Instant before, int limit) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        DELETE FROM stp_remote_transaction WHERE transaction_id IN (
                            SELECT transaction_id FROM stp_remote_transaction
                            WHERE status IN ('NEED_INPUT', 'READY') AND created_at < :before LIMIT :n)""")
                .bind("before", utc(before)).bind("n", limit).execute());
    }

    @Override
    public List<UUID> due(Duration window, Duration grace, Duration lookBack, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT p.id FROM payment p
                        WHERE p.dialect = 'scantopay-remote' AND p.kind = 'DEPOSIT' AND p.state = 'COMPLETED'
                          AND p.callback_url IS NOT NULL
                          AND p.created_at > now() - make_interval(secs => :back)
                          AND p.updated_at < now() - make_interval(secs => :due)
                          AND p.updated_at > now() - make_interval(secs => :back)
                          AND NOT EXISTS (SELECT 1 FROM payment r WHERE r.merchant_id = p.merchant_id
                              AND r.dialect = p.dialect AND r.kind = 'REFUND' AND r.client_ref = 'reversal-' || p.client_ref)
                          AND NOT EXISTS (SELECT 1 FROM callback_attempt a WHERE a.payment_id = p.id AND a.http_status = 200
                              AND a.attempted_at <= p.updated_at + make_interval(secs => :window))
                          AND NOT EXISTS (SELECT 1 FROM scantopay_reversal_refusal f WHERE f.purchase_id = p.id
                              AND (f.parked_at IS NOT NULL OR f.next_at > now()))
                        ORDER BY p.updated_at LIMIT :n""")
                .bind("due", (window.toMillis() + grace.toMillis()) / 1000.0).bind("back", lookBack.toSeconds() * 1.0)
                .bind("window", window.toMillis() / 1000.0).bind("n", limit).mapTo(UUID.class).list());
    }

    private static List<String> list(String joined) {
        return joined == null || joined.isBlank() ? List.of() : List.of(joined.split(","));
    }

    private static RemoteTransaction transaction(ResultSet rs) throws SQLException {
        return new RemoteTransaction(rs.getString("transaction_id"), rs.getObject("brand_id", UUID.class),
                rs.getString("msisdn"), RemoteTransaction.Kind.valueOf(rs.getString("kind")), rs.getString("value"),
                rs.getString("code"), rs.getString("vas_product"), rs.getObject("merchant_id", UUID.class),
                plain(rs.getBigDecimal("amount")), rs.getString("poi"), list(rs.getString("inputs_needed")),
                rs.getString("inputs"), RemoteTransaction.Status.valueOf(rs.getString("status")),
                rs.getObject("payment_id", UUID.class), rs.getString("card_hash"), rs.getString("card_expiry"),
                rs.getBigDecimal("latitude"), rs.getBigDecimal("longitude"), rs.getString("fraud_flag"),
                instant(rs, "created_at"), instant(rs, "claimed_at"), instant(rs, "purchased_at"));
    }

    private static BigDecimal plain(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().setScale(Math.max(2, v.stripTrailingZeros().scale()));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
