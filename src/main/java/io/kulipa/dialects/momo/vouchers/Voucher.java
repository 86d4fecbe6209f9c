package io.kulipa.dialects.momo.vouchers;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A MoMo voucher as stored. The secret is held only as a salted hash; the token is what the
 * receiver shows an agent. A voucher with a sender is a cash voucher: an agent took cash from an
 * unregistered sender, so cancelling it needs the sender's OTP.
 */
public record Voucher(UUID id, UUID merchantId, String referenceId, String token, String secretHash,
                      BigDecimal amount, String currency, String country, String correspondent, String externalId,
                      String message, Party receiver, Party sender, String callbackUrl, VoucherStatus status,
                      int failedAttempts, int otpsSent, UUID redeemedBy, Instant created, Instant updated) {

    /** The subject kind of a voucher's callback in the outbox. */
    public static final String CALLBACK_SUBJECT = "momo-voucher";

    public boolean isCash() {
        return sender != null;
    }

    public Voucher withStatus(VoucherStatus next, UUID redeemer, Instant at) {
        return new Voucher(id, merchantId, referenceId, token, secretHash, amount, currency, country, correspondent,
                externalId, message, receiver, sender, callbackUrl, next, failedAttempts, otpsSent, redeemer, created, at);
    }

    public Voucher withFailedAttempt(Instant at) {
        return new Voucher(id, merchantId, referenceId, token, secretHash, amount, currency, country, correspondent,
                externalId, message, receiver, sender, callbackUrl, status, failedAttempts + 1, otpsSent, redeemedBy,
                created, at);
    }

    public Voucher withOtpSent(Instant at) {
        return new Voucher(id, merchantId, referenceId, token, secretHash, amount, currency, country, correspondent,
                externalId, message, receiver, sender, callbackUrl, status, failedAttempts, otpsSent + 1, redeemedBy,
                created, at);
    }
}
