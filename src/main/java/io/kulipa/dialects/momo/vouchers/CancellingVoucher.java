package io.kulipa.dialects.momo.vouchers;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Cancels a voucher that has not been redeemed: its money goes back from the voucher account to
 * the creator's wallet. Only the creator may cancel; a cash voucher also needs the cancel OTP
 * that was sent to its sender, since it is the sender's money the agent gives back. A locked
 * voucher can still be cancelled, so that its money is never stuck. The change, its posting and
 * the creator's callback (to the outbox) commit together.
 */
public final class CancellingVoucher {

    public record Request(UUID merchantId, String token, String correspondent, String otp) {
    }

    private final VoucherStore store;
    private final Clock clock;

    public CancellingVoucher(VoucherStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public VoucherOutcome cancel(Request r) {
        Instant now = clock.instant();
        return store.inTransaction(books -> {
            Optional<Voucher> found = books.lock(r.token())
                    .filter(v -> v.correspondent().equals(r.correspondent()) && v.merchantId().equals(r.merchantId()));
            if (found.isEmpty()) {
                return VoucherOutcome.refused(VoucherOutcome.Why.NOT_FOUND, "no such voucher of this merchant");
            }
            Voucher v = found.get();
            if (!v.status().canBecome(VoucherStatus.CANCELLED)) {
                return VoucherOutcome.refused(VoucherOutcome.Why.NOT_ALLOWED, "the voucher is "
                        + v.status().name().toLowerCase(java.util.Locale.ROOT) + " and cannot be cancelled");
            }
            if (v.isCash()) {
                if (r.otp() == null) {
                    return VoucherOutcome.refused(VoucherOutcome.Why.OTP_REQUIRED, "a cash voucher is cancelled with "
                            + "the OTP sent to its sender: request one with useCase cancel first");
                }
                Optional<VoucherOutcome> refused = VoucherCredentials.refusal(books, v, null, r.otp(),
                        VoucherStore.OtpUseCase.CANCEL, r.merchantId(), now);
                if (refused.isPresent()) {
                    return refused.get();
                }
            }
            Voucher cancelled = v.withStatus(VoucherStatus.CANCELLED, null, now);
            var posting = VoucherAccounting.cancelled(v);
            books.post(List.of(posting));
            books.update(cancelled);
            books.callBack(cancelled);
            books.append(new VoucherStore.Event(v.id(), "CANCELLED", v.status(), cancelled.status(),
                    r.merchantId(), posting.transferId(), null, now));
            return new VoucherOutcome.Done(cancelled, null);
        });
    }
}
