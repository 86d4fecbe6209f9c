package io.kulipa.dialects.momo.vouchers;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Redeems a voucher: the redeeming merchant (the agent who hands out the cash) presents the
 * token with the secret or a redeem OTP, and the amount moves from the voucher account to its
 * wallet. Exactly once: the voucher row is locked for the whole transaction, so of two redeems
 * at the same moment one sees it open and the other sees it REDEEMED; the state change, the
 * history entry, the posting and the creator's callback (to the outbox) commit together.
 */
public final class RedeemingVoucher {

    public record Request(UUID redeemerId, String token, String correspondent, String secret, String otp) {
    }

    private final VoucherStore store;
    private final Clock clock;

    public RedeemingVoucher(VoucherStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public VoucherOutcome redeem(Request r) {
        Instant now = clock.instant();
        return store.inTransaction(books -> {
            Optional<Voucher> found = books.lock(r.token()).filter(v -> v.correspondent().equals(r.correspondent()));
            if (found.isEmpty()) {
                return VoucherOutcome.refused(VoucherOutcome.Why.NOT_FOUND, "no such voucher");
            }
            Voucher v = found.get();
            if (v.status() == VoucherStatus.LOCKED) {
                return VoucherOutcome.refused(VoucherOutcome.Why.LOCKED, "the voucher is locked after too many "
                        + "wrong secrets or OTPs; only its creator may cancel it");
            }
            if (!v.status().canBecome(VoucherStatus.REDEEMED)) {
                return VoucherOutcome.refused(VoucherOutcome.Why.NOT_ALLOWED, "the voucher is "
                        + v.status().name().toLowerCase(java.util.Locale.ROOT) + " and cannot be redeemed");
            }
            Optional<VoucherOutcome> refused = VoucherCredentials.refusal(books, v, r.secret(), r.otp(),
                    VoucherStore.OtpUseCase.REDEEM, r.redeemerId(), now);
            if (refused.isPresent()) {
                return refused.get();
            }
            Voucher redeemed = v.withStatus(VoucherStatus.REDEEMED, r.redeemerId(), now);
            var posting = VoucherAccounting.redeemed(v, r.redeemerId());
            books.post(List.of(posting));
            books.update(redeemed);
            books.callBack(redeemed);
            books.append(new VoucherStore.Event(v.id(), "REDEEMED", v.status(), redeemed.status(),
                    r.redeemerId(), posting.transferId(), null, now));
            return new VoucherOutcome.Done(redeemed, null);
        });
    }
}
