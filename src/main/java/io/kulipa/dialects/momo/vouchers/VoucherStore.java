package io.kulipa.dialects.momo.vouchers;

import io.kulipa.ledger.LedgerOp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Persistence of vouchers; implemented in {@code store}. */
public interface VoucherStore {

    Optional<Voucher> byReference(UUID merchantId, String referenceId);

    Optional<Voucher> byToken(String token);

    Optional<Voucher> byId(UUID id);

    /** Runs work in one database transaction: a voucher's change, its history and its postings commit together. */
    <R> R inTransaction(Function<Books, R> work);

    /**
     * One entry of a voucher's append-only history: the move from {@code from} (null for its
     * creation) to {@code to}; an entry with {@code from} equal to {@code to} notes an event that
     * moved nothing (an OTP sent, a wrong secret).
     */
    record Event(UUID voucherId, String event, VoucherStatus from, VoucherStatus to, UUID actor, UUID transferId,
                 String detail, Instant at) {
    }

    /** A one-time password of a voucher, as stored (hashed). */
    record Otp(long id, UUID voucherId, OtpUseCase useCase, String hash, Instant expiresAt) {
    }

    enum OtpUseCase {
        REDEEM,
        CANCEL
    }

    /** What one voucher transaction may do. */
    interface Books {
        /** Inserts the voucher unless its merchant already used the reference; false when it did. */
        boolean insertIfAbsent(Voucher voucher);

        /** The voucher of that token, locked until the transaction ends. */
        Optional<Voucher> lock(String token);

        /**
         * Writes the voucher's new state (status, attempts, OTP count, redeemer). A status the
         * transition table does not allow from the stored one is refused with
         * {@code IllegalStateException}, and the transaction rolls back.
         */
        void update(Voucher voucher);

        void append(Event event);

        /**
         * Adds the voucher's final-status callback to the outbox in this transaction, when it was
         * created with a callback URL; nothing otherwise.
         */
        void callBack(Voucher voucher);

        /** Applies ledger ops in this transaction; throws {@code InsufficientFunds} when a wallet cannot cover one. */
        void post(List<LedgerOp> ops);

        /** Puts a text message in a handset's inbox (the sandbox's SMS channel). */
        void sms(String msisdn, String text);

        /** Stores a new OTP and retires every earlier unused one of the same use case. */
        void newOtp(UUID voucherId, OtpUseCase useCase, String hash, Instant expiresAt, Instant now);

        /** The latest OTP of the use case not used yet, whatever its expiry. */
        Optional<Otp> latestOtp(UUID voucherId, OtpUseCase useCase);

        /** Marks an OTP used: OTPs are single-use, a wrong guess burns it too. */
        void useOtp(long otpId, Instant at);
    }
}
