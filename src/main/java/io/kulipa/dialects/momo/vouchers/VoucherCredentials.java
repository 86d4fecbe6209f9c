package io.kulipa.dialects.momo.vouchers;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks the secret or OTP that a redeem or cancel presents, inside the voucher's transaction,
 * and books a wrong one: the voucher's failed attempts go up and, at {@link #FAILED_ATTEMPTS_MAX},
 * an open voucher is locked against redeeming. A presented OTP is used up whether right or wrong.
 */
final class VoucherCredentials {

    /** Wrong secrets and OTPs a voucher takes before it is locked. */
    static final int FAILED_ATTEMPTS_MAX = 5;

    private VoucherCredentials() {
    }

    /** Empty when the credential is right; otherwise the refusal, with the wrong attempt already written. */
    static Optional<VoucherOutcome> refusal(VoucherStore.Books books, Voucher v, String secret, String otp,
                                            VoucherStore.OtpUseCase useCase, UUID actor, Instant now) {
        boolean right;
        if (otp != null) {
            Optional<VoucherStore.Otp> stored = books.latestOtp(v.id(), useCase);
            stored.ifPresent(o -> books.useOtp(o.id(), now));
            right = stored.isPresent() && VoucherSecrets.matches(otp, stored.get().hash());
            if (right && !now.isBefore(stored.get().expiresAt())) {
                return Optional.of(VoucherOutcome.refused(VoucherOutcome.Why.OTP_EXPIRED,
                        "the OTP has expired; ask for a new one"));
            }
        } else {
            right = VoucherSecrets.matches(secret, v.secretHash());
        }
        if (right) {
            return Optional.empty();
        }
        Voucher failed = v.withFailedAttempt(now);
        boolean locks = failed.failedAttempts() >= FAILED_ATTEMPTS_MAX && failed.status().canBecome(VoucherStatus.LOCKED);
        if (locks) {
            failed = failed.withStatus(VoucherStatus.LOCKED, null, now);
        }
        books.update(failed);
        // The wrong attempt itself moves nothing; the lock it may bring is a move of its own.
        books.append(new VoucherStore.Event(v.id(), otp != null ? "WRONG_OTP" : "WRONG_SECRET", v.status(),
                v.status(), actor, null, useCase.name().toLowerCase(java.util.Locale.ROOT), now));
        if (locks) {
            books.append(new VoucherStore.Event(v.id(), "LOCKED", v.status(), VoucherStatus.LOCKED, actor, null,
                    FAILED_ATTEMPTS_MAX + " wrong secrets or OTPs", now));
            return Optional.of(VoucherOutcome.refused(VoucherOutcome.Why.LOCKED, "too many wrong secrets or OTPs: "
                    + "the voucher is locked and can no longer be redeemed; its creator may cancel it"));
        }
        int left = Math.max(0, FAILED_ATTEMPTS_MAX - failed.failedAttempts());
        return Optional.of(VoucherOutcome.refused(VoucherOutcome.Why.WRONG_SECRET, (otp != null ? "wrong or unknown OTP"
                : "wrong secret") + "; " + left + " attempt" + (left == 1 ? "" : "s") + " left before the voucher is locked"));
    }
}
