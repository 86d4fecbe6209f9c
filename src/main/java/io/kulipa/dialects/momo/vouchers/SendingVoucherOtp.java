package io.kulipa.dialects.momo.vouchers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Sends a one-time password for a voucher by SMS: for redeeming, to the receiver (any agent may
 * ask, since any agent may pay it out); for cancelling a cash voucher, to the sender (only the
 * creator may ask). A new OTP retires the earlier ones of its use case; each lives
 * {@link #OTP_VALIDITY} and is used once. A voucher gets at most {@link #OTPS_PER_VOUCHER_MAX}.
 */
public final class SendingVoucherOtp {

    public static final Duration OTP_VALIDITY = Duration.ofMinutes(5);
    /** With each wrong OTP burnt, this bounds how many guesses an OTP-only attacker gets. */
    public static final int OTPS_PER_VOUCHER_MAX = 10;

    public record Request(UUID merchantId, String token, String correspondent, VoucherStore.OtpUseCase useCase) {
    }

    private final VoucherStore store;
    private final Clock clock;

    public SendingVoucherOtp(VoucherStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public VoucherOutcome send(Request r) {
        Instant now = clock.instant();
        boolean cancel = r.useCase() == VoucherStore.OtpUseCase.CANCEL;
        return store.inTransaction(books -> {
            Optional<Voucher> found = books.lock(r.token()).filter(v -> v.correspondent().equals(r.correspondent()))
                    .filter(v -> !cancel || v.merchantId().equals(r.merchantId()));
            if (found.isEmpty()) {
                return VoucherOutcome.refused(VoucherOutcome.Why.NOT_FOUND, "no such voucher");
            }
            Voucher v = found.get();
            VoucherStatus target = cancel ? VoucherStatus.CANCELLED : VoucherStatus.REDEEMED;
            if (!v.status().canBecome(target)) {
                return VoucherOutcome.refused(v.status() == VoucherStatus.LOCKED ? VoucherOutcome.Why.LOCKED
                        : VoucherOutcome.Why.NOT_ALLOWED, "the voucher is "
                        + v.status().name().toLowerCase(java.util.Locale.ROOT) + ": no OTP for "
                        + r.useCase().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (cancel && !v.isCash()) {
                return VoucherOutcome.refused(VoucherOutcome.Why.NOT_ALLOWED, "only a cash voucher needs a cancel OTP; "
                        + "cancel this one without");
            }
            if (v.otpsSent() >= OTPS_PER_VOUCHER_MAX) {
                return VoucherOutcome.refused(VoucherOutcome.Why.NOT_ALLOWED, "this voucher has had "
                        + OTPS_PER_VOUCHER_MAX + " OTPs, the most it gets");
            }
            String otp = VoucherSecrets.digits(VoucherSecrets.OTP_DIGITS);
            Instant expires = now.plus(OTP_VALIDITY);
            books.newOtp(v.id(), r.useCase(), VoucherSecrets.hash(otp), expires, now);
            books.update(v.withOtpSent(now));
            books.append(new VoucherStore.Event(v.id(), "OTP_SENT", v.status(), v.status(), r.merchantId(), null,
                    r.useCase().name().toLowerCase(java.util.Locale.ROOT), now));
            String to = cancel ? v.sender().msisdn() : v.receiver().msisdn();
            books.sms(to, "Your MoMo one-time password to " + (cancel ? "cancel" : "redeem") + " voucher " + v.token()
                    + " is " + otp + ". It expires in " + OTP_VALIDITY.toMinutes() + " minutes. Never share it "
                    + "except with the agent serving you.");
            return new VoucherOutcome.Done(v, expires);
        });
    }
}
