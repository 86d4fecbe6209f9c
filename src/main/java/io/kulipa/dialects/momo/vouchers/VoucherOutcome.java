package io.kulipa.dialects.momo.vouchers;

import java.time.Instant;

/** What a voucher use case did: done, with the voucher as it now stands, or refused with a reason. */
public sealed interface VoucherOutcome {

    /** @param otpExpiresAt when the OTP just sent stops working; null for other use cases */
    record Done(Voucher voucher, Instant otpExpiresAt) implements VoucherOutcome {
    }

    record Refused(Why why, String message) implements VoucherOutcome {
    }

    enum Why {
        NOT_FOUND,
        ALREADY_EXISTS,
        NOT_ENOUGH_FUNDS,
        /** The voucher's state does not allow it: already redeemed, cancelled, not a cash voucher... */
        NOT_ALLOWED,
        WRONG_SECRET,
        LOCKED,
        OTP_EXPIRED,
        OTP_REQUIRED
    }

    static VoucherOutcome refused(Why why, String message) {
        return new Refused(why, message);
    }
}
