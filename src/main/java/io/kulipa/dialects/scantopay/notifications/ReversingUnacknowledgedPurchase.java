package io.kulipa.dialects.scantopay.notifications;

import io.kulipa.dialects.scantopay.purchases.PurchasingWithCard;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.RefundingDeposit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scan to Pay's fail-safe: a successful purchase whose notification was not acknowledged with
 * HTTP 200 within the window is reversed. The reversal is a core refund of the whole purchase
 * with the client id {@code reversal-{txId}}, so however many nodes, hooks and sweeps ask for it
 * (and whatever crash came between), there is one reversal: the issuer credits the card and the
 * ledger posts the mirror transfer.
 */
public final class ReversingUnacknowledgedPurchase {

    private static final Logger LOG = LoggerFactory.getLogger(ReversingUnacknowledgedPurchase.class);
    public static final String PREFIX = "reversal-";

    private final PaymentStore payments;
    private final MerchantStore merchants;
    private final RefundingDeposit refunding;
    private final String dialect;

    public ReversingUnacknowledgedPurchase(PaymentStore payments, MerchantStore merchants, RefundingDeposit refunding) {
        this(payments, merchants, refunding, PurchasingWithCard.DIALECT);
    }

    /** The fail-safe of another Scan to Pay API's purchases (the Remote API's, {@code scantopay-remote}). */
    public ReversingUnacknowledgedPurchase(PaymentStore payments, MerchantStore merchants, RefundingDeposit refunding,
                                           String dialect) {
        this.payments = payments;
        this.merchants = merchants;
        this.refunding = refunding;
        this.dialect = dialect;
    }

    public static String reversalId(Payment purchase) {
        return PREFIX + purchase.clientRef();
    }

    /**
     * Reverses the purchase if it is a completed Scan to Pay deposit that was to be notified; answers
     * whether a reversal exists now.
     */
    public boolean reverse(UUID paymentId) {
        Optional<Payment> found = payments.get(paymentId);
        if (found.isEmpty() || found.get().kind() != PaymentKind.DEPOSIT
                || !dialect.equals(found.get().dialect())
                || found.get().state() != PaymentState.COMPLETED) {
            return false;
        }
        Payment p = found.get();
        if (p.callbackUrl() == null) {
            // No notification URL when it was bought: the merchant polls, so nothing can go
            // unacknowledged and the purchase stands (the sweep looks only at purchases with one).
            return false;
        }
        var merchant = merchants.byId(p.merchantId()).orElseThrow();
        var result = refunding.refund(new RefundingDeposit.Request(merchant, reversalId(p), p.clientRef(), null,
                dialect, List.of(new Payment.MetadataItem(PurchasingWithCard.TX_ID, p.clientRef(),
                false)), "reversal-of-" + p.id(), p.callbackUrl()));
        if (result instanceof InitiatingPayment.Result.Accepted) {
            LOG.info("purchase {} not acknowledged in time: reversing", p.clientRef());
        }
        return !(result instanceof InitiatingPayment.Result.Rejected);
    }
}
