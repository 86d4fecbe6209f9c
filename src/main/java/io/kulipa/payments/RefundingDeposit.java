package io.kulipa.payments;

import io.kulipa.money.Amount;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Returns money of a completed deposit to the customer who paid it. Without an amount the
 * whole of what is left to refund is returned. The refunds of one deposit never add up to
 * more than it collected: the store checks that under a lock on the deposit, so concurrent
 * refunds are counted one after another.
 */
public final class RefundingDeposit {

    private final PaymentStore store;
    private final InitiatingPayment initiating;
    private final Clock clock;

    public RefundingDeposit(PaymentStore store, InitiatingPayment initiating, Clock clock) {
        this.store = store;
        this.initiating = initiating;
        this.clock = clock;
    }

    /**
     * A refund request as a dialect read it; {@code amount} null means all that is left.
     *
     * @param callbackUrl the refund's own callback URL (MoMo), or null for the merchant's
     */
    public record Request(Merchant merchant, String refundId, String depositId, Amount amount, String dialect,
                          List<Payment.MetadataItem> metadata, String fingerprint, String callbackUrl) {

        public Request(Merchant merchant, String refundId, String depositId, Amount amount, String dialect,
                       List<Payment.MetadataItem> metadata, String fingerprint) {
            this(merchant, refundId, depositId, amount, dialect, metadata, fingerprint, null);
        }
    }

    public InitiatingPayment.Result refund(Request r) {
        Optional<Payment> existing = store.find(r.merchant().id(), r.dialect(), PaymentKind.REFUND, r.refundId());
        if (existing.isPresent()) {
            store.recordRepeat(existing.get().id(), r.fingerprint(), existing.get().fingerprint().equals(r.fingerprint()));
            return new InitiatingPayment.Result.Duplicate(existing.get());
        }
        // A refund returns money of a deposit made through the same dialect: the other dialects' ids are theirs.
        Optional<Payment> deposit = store.find(r.merchant().id(), r.dialect(), PaymentKind.DEPOSIT, r.depositId());
        if (deposit.isEmpty() || deposit.get().state() != PaymentState.COMPLETED) {
            return new InitiatingPayment.Result.Rejected(new Rejection(FailureCode.PARAMETER_INVALID,
                    "depositId: no completed deposit " + r.depositId() + " was found for this merchant"));
        }
        Payment d = deposit.get();
        Amount amount = r.amount();
        if (amount == null) {
            BigDecimal left = refundable(d).subtract(store.refundedSoFar(d.id()));
            if (left.signum() <= 0) {
                return new InitiatingPayment.Result.Rejected(new Rejection(FailureCode.AMOUNT_TOO_LARGE,
                        "amount: nothing is left to refund of deposit " + r.depositId()));
            }
            amount = Amount.of(left);
        }
        return initiating.initiate(asPayment(r, d, amount));
    }

    private PaymentRequest asPayment(Request r, Payment deposit, Amount amount) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        return new PaymentRequest(r.merchant(), PaymentKind.REFUND, r.refundId(), r.dialect(), amount,
                deposit.currency(), deposit.country(), deposit.correspondent(), deposit.msisdn(), now,
                deposit.statementDescription(), null, r.metadata(), r.fingerprint(), r.callbackUrl(),
                new PaymentRequest.RefundOf(deposit.id(), refundable(deposit)));
    }

    private static BigDecimal refundable(Payment deposit) {
        return deposit.processedAmount() != null ? deposit.processedAmount() : deposit.amount();
    }
}
