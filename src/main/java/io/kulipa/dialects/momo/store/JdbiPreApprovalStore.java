package io.kulipa.dialects.momo.store;

import io.kulipa.store.CallbackOutbox;
import io.kulipa.store.PaymentRows;

import io.kulipa.dialects.momo.preapprovals.PreApproval;
import io.kulipa.dialects.momo.preapprovals.PreApprovalStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Pre-approvals in PostgreSQL. */
public final class JdbiPreApprovalStore implements PreApprovalStore {

    private static final String COLUMNS = "id, merchant_id, api_user_id, correspondent, msisdn, currency, "
            + "payer_message, validity_secs, callback_url, callback_method, status, reason, expires_at, created_at, "
            + "finished_at";
    private static final RowMapper<PreApproval> ROW = JdbiPreApprovalStore::row;
    private final Jdbi jdbi;
    private final CallbackOutbox callbacks;

    /** @param callbacks where a finished pre-approval's callback is added, in the transaction that finishes it */
    public JdbiPreApprovalStore(Jdbi jdbi, CallbackOutbox callbacks) {
        this.jdbi = jdbi;
        this.callbacks = callbacks;
    }

    private static PreApproval row(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PreApproval(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
                rs.getObject("api_user_id", UUID.class), rs.getString("correspondent"), rs.getString("msisdn"),
                rs.getString("currency"), rs.getString("payer_message"), rs.getLong("validity_secs"),
                rs.getString("callback_url"), rs.getString("callback_method"),
                PreApproval.Status.valueOf(rs.getString("status")), rs.getString("reason"),
                PaymentRows.instant(rs, "expires_at"), PaymentRows.instant(rs, "created_at"),
                PaymentRows.instant(rs, "finished_at"));
    }

    @Override
    public boolean insertIfAbsent(PreApproval p) {
        return jdbi.inTransaction(h -> {
            boolean inserted = h.createUpdate("""
                            INSERT INTO momo_preapproval (id, merchant_id, api_user_id, correspondent, msisdn, currency,
                                payer_message, validity_secs, callback_url, callback_method, status, expires_at,
                                created_at)
                            VALUES (:id, :merchant, :apiUser, :correspondent, :msisdn, :currency, :message, :validity,
                                :callbackUrl, :callbackMethod, :status, :expires, :created)
                            ON CONFLICT (id) DO NOTHING""")
                    .bind("id", p.id()).bind("merchant", p.merchantId()).bind("apiUser", p.apiUserId())
                    .bind("correspondent", p.correspondent()).bind("msisdn", p.msisdn()).bind("currency", p.currency())
                    .bind("message", p.payerMessage()).bind("validity", p.validitySeconds())
                    .bind("callbackUrl", p.callbackUrl()).bind("callbackMethod", p.callbackMethod())
                    .bind("status", p.status().name()).bind("expires", PaymentRows.ts(p.expiresAt()))
                    .bind("created", PaymentRows.ts(p.createdAt())).execute() == 1;
            if (inserted) {
                MomoHistory.PREAPPROVAL.append(h, p.id(), null, p.status(), "CREATED", "expires " + p.expiresAt());
            }
            return inserted;
        });
    }

    @Override
    public Optional<PreApproval> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM momo_preapproval WHERE id = :id")
                .bind("id", id).map(ROW).findOne());
    }

    @Override
    public Optional<PreApproval> finish(UUID id, PreApproval.Status status, String reason, Instant at) {
        PreApproval.Status.TABLE.requireAllowed(PreApproval.Status.PENDING, status);
        return jdbi.inTransaction(h -> {
            Optional<PreApproval> finished = h.createQuery("UPDATE momo_preapproval SET status = :s, reason = :r, "
                            + "finished_at = :at WHERE id = :id AND status = 'PENDING' RETURNING " + COLUMNS)
                    .bind("s", status.name()).bind("r", reason).bind("at", PaymentRows.ts(at)).bind("id", id)
                    .map(ROW).findOne();
            finished.ifPresent(p -> MomoHistory.PREAPPROVAL.append(h, id, PreApproval.Status.PENDING, status,
                    status.name(), reason));
            finished.filter(p -> p.callbackUrl() != null)
                    .ifPresent(p -> callbacks.add(h, PreApproval.CALLBACK_SUBJECT, p.id().toString()));
            return finished;
        });
    }

    @Override
    public Optional<UUID> covering(UUID merchantId, String correspondent, String msisdn, String currency,
                                   Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM momo_preapproval
                        WHERE merchant_id = :m AND correspondent = :c AND msisdn = :msisdn AND currency = :currency
                            AND status = 'SUCCESSFUL' AND expires_at > :now
                        ORDER BY finished_at DESC LIMIT 1""")
                .bind("m", merchantId).bind("c", correspondent).bind("msisdn", msisdn).bind("currency", currency)
                .bind("now", PaymentRows.ts(now)).mapTo(UUID.class).findOne());
    }
}
