package io.kulipa.dialects.momo.vouchers;

import io.kulipa.ledger.InsufficientFunds;
import io.kulipa.money.Amount;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Creates a voucher (MoMo's create voucher and cash voucher): the amount leaves the creator's
 * wallet for the voucher account, the voucher and its first history entry are written, and the
 * receiver gets the token (and the secret, unless the creator chose it and passes it on itself)
 * by SMS, all in one transaction that commits before the answer. A wallet that cannot cover the
 * amount refuses it and nothing is written.
 */
public final class CreatingVoucher {

    /** What the dialect parsed; {@code secret} is null when Kulipa is to choose it. */
    public record Request(UUID merchantId, String referenceId, BigDecimal amount, String currency, String country,
                          String correspondent, String externalId, String message, Party receiver, Party sender,
                          String callbackUrl, String secret) {
    }

    private final VoucherStore store;
    private final Clock clock;

    public CreatingVoucher(VoucherStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public VoucherOutcome create(Request r) {
        Instant now = clock.instant();
        boolean chosen = r.secret() == null;
        String secret = chosen ? VoucherSecrets.digits(VoucherSecrets.SECRET_DIGITS) : r.secret();
        Voucher v = new Voucher(UUID.randomUUID(), r.merchantId(), r.referenceId(),
                VoucherSecrets.digits(VoucherSecrets.TOKEN_DIGITS), VoucherSecrets.hash(secret), r.amount(),
                r.currency(), r.country(), r.correspondent(), r.externalId(), r.message(), r.receiver(), r.sender(),
                r.callbackUrl(), VoucherStatus.SUCCESSFUL, 0, 0, null, now, now);
        try {
            return store.inTransaction(books -> {
                if (!books.insertIfAbsent(v)) {
                    return VoucherOutcome.refused(VoucherOutcome.Why.ALREADY_EXISTS, "reference already used");
                }
                var posting = VoucherAccounting.created(v);
                books.post(List.of(posting));
                books.append(new VoucherStore.Event(v.id(), "CREATED", null, v.status(), v.merchantId(),
                        posting.transferId(), v.isCash() ? "cash voucher" : null, now));
                String money = Amount.plain(v.amount()) + " " + v.currency();
                books.sms(v.receiver().msisdn(), "You have received a MoMo voucher of " + money + ". Voucher token: "
                        + v.token() + (chosen ? ", secret: " + secret : "; the sender will give you the secret")
                        + ". Show them at any MoMo agent to get your cash.");
                if (v.isCash()) {
                    books.sms(v.sender().msisdn(), "Your cash voucher of " + money + " to " + v.receiver().msisdn()
                            + " has been sent. Voucher token: " + v.token() + ".");
                }
                return new VoucherOutcome.Done(v, null);
            });
        } catch (InsufficientFunds e) {
            return VoucherOutcome.refused(VoucherOutcome.Why.NOT_ENOUGH_FUNDS, "the wallet in " + r.currency()
                    + " cannot cover " + Amount.plain(r.amount()) + " " + r.currency());
        }
    }
}
