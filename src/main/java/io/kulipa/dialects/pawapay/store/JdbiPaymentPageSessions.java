package io.kulipa.dialects.pawapay.store;

import io.kulipa.dialects.pawapay.paymentpage.PaymentPageSession;
import io.kulipa.dialects.pawapay.paymentpage.PaymentPageSessions;
import io.kulipa.store.Json;
import io.kulipa.store.PaymentRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Payment Page sessions in PostgreSQL (table {@code pawapay_payment_page_session}, V35). */
public final class JdbiPaymentPageSessions implements PaymentPageSessions {

    private static final String COLUMNS = "id, merchant_id, deposit_id, browser_digest, fingerprint, return_url, "
            + "statement_description, amount, msisdn, country, reason, language, metadata::text AS metadata, "
            + "created_at, link_expires_at, expires_at, opened_at";

    private final Jdbi jdbi;

    public JdbiPaymentPageSessions(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<PaymentPageSession> insert(PaymentPageSession s, String tokenDigest) {
        return jdbi.inTransaction(h -> {
            int inserted = h.createUpdate("""
                            INSERT INTO pawapay_payment_page_session (id, merchant_id, deposit_id, token_digest,
                                fingerprint, return_url, statement_description, amount, msisdn, country, reason,
                                language, metadata, created_at, link_expires_at, expires_at)
                            VALUES (:id, :merchant, :deposit, :token, :fingerprint, :returnUrl, :statement, :amount,
                                :msisdn, :country, :reason, :language, CAST(:metadata AS jsonb), :created,
                                :linkExpires, :expires)
                            ON CONFLICT (merchant_id, deposit_id) DO NOTHING""")
                    .bind("id", s.id()).bind("merchant", s.merchantId()).bind("deposit", s.depositId())
                    .bind("token", tokenDigest).bind("fingerprint", s.fingerprint()).bind("returnUrl", s.returnUrl())
                    .bind("statement", s.statementDescription()).bind("amount", s.amount()).bind("msisdn", s.msisdn())
                    .bind("country", s.country()).bind("reason", s.reason()).bind("language", s.language())
                    .bind("metadata", Json.write(s.metadata())).bind("created", PaymentRows.ts(s.created()))
                    .bind("linkExpires", PaymentRows.ts(s.linkExpires())).bind("expires", PaymentRows.ts(s.expires()))
                    .execute();
            if (inserted == 1) {
                return Optional.<PaymentPageSession>empty();
            }
            return Optional.of(h.createQuery("SELECT " + COLUMNS + " FROM pawapay_payment_page_session "
                            + "WHERE merchant_id = :merchant AND deposit_id = :deposit")
                    .bind("merchant", s.merchantId()).bind("deposit", s.depositId())
                    .map((rs, ctx) -> row(rs)).one());
        });
    }

    @Override
    public Optional<PaymentPageSession> byTokenDigest(String tokenDigest) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM pawapay_payment_page_session WHERE token_digest = :token")
                .bind("token", tokenDigest).map((rs, ctx) -> row(rs)).findOne());
    }

    @Override
    public boolean replaceToken(UUID id, String tokenDigest, Instant linkExpires) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE pawapay_payment_page_session SET token_digest = :token, link_expires_at = :linkExpires
                        WHERE id = :id AND browser_digest IS NULL""")
                .bind("id", id).bind("token", tokenDigest).bind("linkExpires", PaymentRows.ts(linkExpires))
                .execute()) == 1;
    }

    @Override
    public boolean bindBrowser(UUID id, String browserDigest, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE pawapay_payment_page_session SET browser_digest = :browser, opened_at = :at
                        WHERE id = :id AND browser_digest IS NULL AND link_expires_at > :at""")
                .bind("id", id).bind("browser", browserDigest).bind("at", PaymentRows.ts(at)).execute()) == 1;
    }

    private static PaymentPageSession row(ResultSet rs) throws SQLException {
        return new PaymentPageSession(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
                rs.getString("deposit_id"), rs.getString("fingerprint"), rs.getString("return_url"),
                rs.getString("statement_description"), rs.getString("amount"), rs.getString("msisdn"),
                rs.getString("country"), rs.getString("reason"), rs.getString("language"),
                Json.metadata(rs.getString("metadata")), PaymentRows.instant(rs, "created_at"),
                PaymentRows.instant(rs, "link_expires_at"), PaymentRows.instant(rs, "expires_at"),
                PaymentRows.instant(rs, "opened_at"), rs.getString("browser_digest"));
    }
}
