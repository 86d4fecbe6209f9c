package io.kulipa.dialects.scantopay.notifications;

import io.kulipa.callbacks.CallbackPolicy;
import io.kulipa.callbacks.RetryPolicy;
import io.kulipa.dialects.scantopay.purchases.PurchasingWithCard;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.RefundingDeposit;
import java.time.Duration;
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
    /** How long the sweep waits after the first refusal of a reversal; each next wait is twice the last. */
    public static final Duration REFUSED_RETRY_FIRST = Duration.ofSeconds(10);
    /** The longest wait between two tries of a refused reversal. */
    public static final Duration REFUSED_RETRY_MAX = Duration.ofMinutes(30);
    /** Refusals after which a reversal is parked for an operator (GET /ops/scantopay/reversals). */
    public static final int REFUSED_ATTEMPTS_MAX = 6;

    private final PaymentStore payments;
    private final MerchantStore merchants;
    private final Refunds refunding;
    private final ReversalRefusals refusals;
    private final Duration retryFirst;
    private final String dialect;

    /** The core's refund of a deposit ({@link RefundingDeposit#refund}), the one way a reversal is made. */
    @FunctionalInterface
    public interface Refunds {
        InitiatingPayment.Result refund(RefundingDeposit.Request request);
    }

    /**
     * @param retryFirst the wait after a first refusal ({@link #REFUSED_RETRY_FIRST}; shorter in tests)
     */
    public ReversingUnacknowledgedPurchase(PaymentStore payments, MerchantStore merchants, Refunds refunding,
                                           ReversalRefusals refusals, Duration retryFirst) {
        this(payments, merchants, refunding, refusals, retryFirst, PurchasingWithCard.DIALECT);
    }

    /** The fail-safe of another Scan to Pay API's purchases (the Remote API's, {@code scantopay-remote}). */
    public ReversingUnacknowledgedPurchase(PaymentStore payments, MerchantStore merchants, Refunds refunding,
                                           ReversalRefusals refusals, Duration retryFirst, String dialect) {
        this.payments = payments;
        this.merchants = merchants;
        this.refunding = refunding;
        this.refusals = refusals;
        this.retryFirst = retryFirst;
        this.dialect = dialect;
    }

    /** The wait before the next try after {@code attempts} refusals: doubling from the first, at most the cap. */
    public static Duration backoff(Duration first, int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = first.multipliedBy(factor);
        return d.compareTo(REFUSED_RETRY_MAX) > 0 ? REFUSED_RETRY_MAX : d;
    }

    /** The most deliveries of one notification inside the acknowledgement window. */
    public static final int ATTEMPTS_MAX = 20;

    /**
     * The callback policy of a purchase under the fail-safe: retries spread inside the
     * acknowledgement window, and the purchase reversed when its notification is finally given up.
     */
    public CallbackPolicy policyWithin(Duration ackWindow) {
        RetryPolicy retries = new RetryPolicy(ackWindow, Duration.ofSeconds(Math.max(1, ackWindow.toSeconds() / 9)),
                Duration.ofSeconds(Math.max(1, ackWindow.toSeconds() / 3)), ATTEMPTS_MAX);
        return new CallbackPolicy(retries, u -> {
            if (u.paymentId() != null) {
                reverse(u.paymentId());
            }
        });
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
        if (result instanceof InitiatingPayment.Result.Rejected r) {
            String reason = r.rejection().code() + ": " + r.rejection().message();
            ReversalRefusals.Counted counted = refusals.refused(p.id(), reason, n -> backoff(retryFirst, n),
                    n -> n >= REFUSED_ATTEMPTS_MAX);
            if (counted.parked()) {
                LOG.error("the reversal of purchase {} was refused {} times ({}); parked for an operator "
                        + "(GET /ops/scantopay/reversals)", p.clientRef(), counted.attempts(), r.rejection().code());
            } else {
                LOG.warn("the reversal of purchase {} was refused ({}); try {} of {} comes later", p.clientRef(),
                        r.rejection().code(), counted.attempts() + 1, REFUSED_ATTEMPTS_MAX);
            }
            return false;
        }
        return true;
    }
}
