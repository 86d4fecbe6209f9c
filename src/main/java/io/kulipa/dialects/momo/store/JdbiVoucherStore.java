package io.kulipa.dialects.momo.store;

import io.kulipa.store.CallbackOutbox;
import io.kulipa.store.Json;
import io.kulipa.store.LedgerSql;
import io.kulipa.store.PaymentRows;

import io.kulipa.ledger.LedgerOp;
import io.kulipa.dialects.momo.vouchers.Party;
import io.kulipa.dialects.momo.vouchers.Voucher;
import io.kulipa.dialects.momo.vouchers.VoucherStatus;
import io.kulipa.dialects.momo.vouchers.VoucherStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * MoMo vouchers in PostgreSQL. A voucher's change, its history entry, its ledger postings and its
 * SMS, and its callback once it is final, are written in one transaction; the voucher row is locked ({@code FOR UPDATE}) by whoever
 * changes it, so concurrent redeems and cancels of one voucher take turns.
 */
public final class JdbiVoucherStore implements VoucherStore {

    private static final String COLUMNS = "id, merchant_id, reference_id, token, secret_hash, amount, currency, country, "
            + "correspondent, external_id, message, receiver::text AS receiver, sender::text AS sender, callback_url, "
            + "status, failed_attempts, otps_sent, redeemed_by, created_at, updated_at";
    /** The sender name the sandbox handsets show for voucher messages. */
    private static final String SMS_SENDER = "MoMo";

    private final Jdbi jdbi;
    private final LedgerSql ledgerSql = new LedgerSql();
    private final CallbackOutbox callbacks;

    /** @param callbacks where a final voucher's callback is added, in the transaction that finishes it */
    public JdbiVoucherStore(Jdbi jdbi, CallbackOutbox callbacks) {
        this.jdbi = jdbi;
        this.callbacks = callbacks;
    }

    private static Voucher voucher(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Voucher(rs.getObject("id", UUID.class), rs.getObject("merchant_id", UUID.class),
                rs.getString("reference_id"), rs.getString("token"), rs.getString("secret_hash"),
                rs.getBigDecimal("amount"), rs.getString("currency"), rs.getString("country"),
                rs.getString("correspondent"), rs.getString("external_id"), rs.getString("message"),
                party(rs.getString("receiver")), party(rs.getString("sender")), rs.getString("callback_url"),
                VoucherStatus.valueOf(rs.getString("status")), rs.getInt("failed_attempts"), rs.getInt("otps_sent"),
                rs.getObject("redeemed_by", UUID.class), PaymentRows.instant(rs, "created_at"),
                PaymentRows.instant(rs, "updated_at"));
    }

    private static Party party(String json) {
        if (json == null) {
            return null;
        }
        Map<String, String> m = Json.stringMap(json);
        return new Party(m.get("msisdn"), m.get("firstName"), m.get("surname"), m.get("identificationType"),
                m.get("identification"));
    }

    private static String json(Party p) {
        if (p == null) {
            return null;
        }
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("msisdn", p.msisdn());
        m.put("firstName", p.firstName());
        m.put("surname", p.surname());
        m.put("identificationType", p.identificationType());
        m.put("identification", p.identification());
        m.values().removeIf(java.util.Objects::isNull);
        return Json.write(m);
    }

    @Override
    public Optional<Voucher> byReference(UUID merchantId, String referenceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM momo_voucher "
                        + "WHERE merchant_id = :m AND reference_id = :r")
                .bind("m", merchantId).bind("r", referenceId).map(JdbiVoucherStore::voucher).findOne());
    }

    @Override
    public Optional<Voucher> byToken(String token) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM momo_voucher WHERE token = :t")
                .bind("t", token).map(JdbiVoucherStore::voucher).findOne());
    }

    @Override
    public Optional<Voucher> byId(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM momo_voucher WHERE id = :id")
                .bind("id", id).map(JdbiVoucherStore::voucher).findOne());
    }

    @Override
    public <R> R inTransaction(Function<Books, R> work) {
        return jdbi.inTransaction(h -> work.apply(new HandleBooks(h, ledgerSql, callbacks)));
    }

    private record HandleBooks(Handle h, LedgerSql ledgerSql, CallbackOutbox callbacks) implements Books {

        @Override
        public void callBack(Voucher v) {
            if (v.callbackUrl() != null) {
                callbacks.add(h, Voucher.CALLBACK_SUBJECT, v.id().toString());
            }
        }

        @Override
        public boolean insertIfAbsent(Voucher v) {
            return h.createUpdate("""
                            INSERT INTO momo_voucher (id, merchant_id, reference_id, token, secret_hash, amount, currency,
                                country, correspondent, external_id, message, receiver, sender, callback_url, status,
                                created_at, updated_at)
                            VALUES (:id, :m, :ref, :token, :hash, :amount, :currency, :country, :correspondent, :ext,
                                :message, CAST(:receiver AS jsonb), CAST(:sender AS jsonb), :callback, :status,
                                :created, :updated)
                            ON CONFLICT (merchant_id, reference_id) DO NOTHING""")
                    .bind("id", v.id()).bind("m", v.merchantId()).bind("ref", v.referenceId()).bind("token", v.token())
                    .bind("hash", v.secretHash()).bind("amount", v.amount()).bind("currency", v.currency())
                    .bind("country", v.country()).bind("correspondent", v.correspondent())
                    .bind("ext", v.externalId()).bind("message", v.message()).bind("receiver", json(v.receiver()))
                    .bind("sender", json(v.sender())).bind("callback", v.callbackUrl())
                    .bind("status", v.status().name()).bind("created", PaymentRows.ts(v.created()))
                    .bind("updated", PaymentRows.ts(v.updated())).execute() == 1;
        }

        @Override
        public Optional<Voucher> lock(String token) {
            return h.createQuery("SELECT " + COLUMNS + " FROM momo_voucher WHERE token = :t FOR UPDATE")
                    .bind("t", token).map(JdbiVoucherStore::voucher).findOne();
        }

        @Override
        public void update(Voucher v) {
            int rows = h.createUpdate("""
                            UPDATE momo_voucher SET status = :status, failed_attempts = :failed, otps_sent = :otps,
                                redeemed_by = :redeemer, updated_at = :updated
                            WHERE id = :id AND (status = :status OR status = ANY(:sources))""")
                    .bind("status", v.status().name()).bind("failed", v.failedAttempts()).bind("otps", v.otpsSent())
                    .bind("redeemer", v.redeemedBy()).bind("updated", PaymentRows.ts(v.updated())).bind("id", v.id())
                    .bind("sources", VoucherStatus.TABLE.sourceNamesOf(v.status())).execute();
            if (rows != 1) {
                // The row is locked by this transaction, so only a move the table forbids gets here.
                throw new IllegalStateException("voucher " + v.id() + " cannot become " + v.status());
            }
        }

        @Override
        public void append(Event e) {
            h.createUpdate("""
                            INSERT INTO momo_voucher_event (voucher_id, event, from_status, to_status, actor,
                                transfer_id, detail, at)
                            VALUES (:v, :event, :from, :to, :actor, :transfer, :detail, :at)""")
                    .bind("v", e.voucherId()).bind("event", e.event())
                    .bind("from", e.from() == null ? null : e.from().name()).bind("to", e.to().name())
                    .bind("actor", e.actor()).bind("transfer", e.transferId()).bind("detail", e.detail())
                    .bind("at", PaymentRows.ts(e.at())).execute();
        }

        @Override
        public void post(List<LedgerOp> ops) {
            ledgerSql.applyAll(h, ops.stream().map(op -> new LedgerSql.Entry(null, op)).toList());
        }

        @Override
        public void sms(String msisdn, String text) {
            h.createUpdate("INSERT INTO sim_sms (msisdn, sender, text) VALUES (:m, :s, :t)")
                    .bind("m", msisdn).bind("s", SMS_SENDER).bind("t", text).execute();
        }

        @Override
        public void newOtp(UUID voucherId, OtpUseCase useCase, String hash, Instant expiresAt, Instant now) {
            h.createUpdate("""
                            UPDATE momo_voucher_otp SET used_at = :now
                            WHERE voucher_id = :v AND use_case = :u AND used_at IS NULL""")
                    .bind("now", PaymentRows.ts(now)).bind("v", voucherId).bind("u", useCase.name()).execute();
            h.createUpdate("""
                            INSERT INTO momo_voucher_otp (voucher_id, use_case, otp_hash, expires_at, created_at)
                            VALUES (:v, :u, :hash, :expires, :now)""")
                    .bind("v", voucherId).bind("u", useCase.name()).bind("hash", hash)
                    .bind("expires", PaymentRows.ts(expiresAt)).bind("now", PaymentRows.ts(now)).execute();
        }

        @Override
        public Optional<Otp> latestOtp(UUID voucherId, OtpUseCase useCase) {
            return h.createQuery("""
                            SELECT id, otp_hash, expires_at FROM momo_voucher_otp
                            WHERE voucher_id = :v AND use_case = :u AND used_at IS NULL ORDER BY id DESC LIMIT 1""")
                    .bind("v", voucherId).bind("u", useCase.name())
                    .map((rs, ctx) -> new Otp(rs.getLong("id"), voucherId, useCase, rs.getString("otp_hash"),
                            PaymentRows.instant(rs, "expires_at")))
                    .findOne();
        }

        @Override
        public void useOtp(long otpId, Instant at) {
            h.createUpdate("UPDATE momo_voucher_otp SET used_at = :at WHERE id = :id AND used_at IS NULL")
                    .bind("at", PaymentRows.ts(at)).bind("id", otpId).execute();
        }
    }
}
