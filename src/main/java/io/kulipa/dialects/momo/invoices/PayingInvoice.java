package io.kulipa.dialects.momo.invoices;

import io.kulipa.money.Amount;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.Rejection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intended payer pays an invoice, having approved it with their PIN: the invoice is
 * claimed (PENDING → PAYING, a conditional update, so two taps make one deposit), then the core
 * makes an ordinary deposit through {@link InitiatingPayment}, marked as already approved so
 * that the operator does not prompt again. The ledger credits the merchant exactly as for a
 * request to pay. If the core refuses the deposit, the invoice is PENDING again.
 */
public final class PayingInvoice {

    private static final Logger LOG = LoggerFactory.getLogger(PayingInvoice.class);
    /** The dialect of the deposits invoices make: no callback of their own, the invoice's is sent. */
    public static final String DIALECT = "momo-invoice";
    /** A handset lists at most this many open invoices. */
    public static final int OPEN_INVOICES_MAX = 50;
    /** The operator's statement line is bounded like the core's metadata. */
    static final int STATEMENT_CHARS_MAX = 64;

    /** What became of a payment attempt. */
    public sealed interface Result {
        record Paying(Invoice invoice) implements Result {
        }

        record NotFound() implements Result {
        }

        /** The invoice cannot be paid now: {@code status} says why (PAYING is a payment under way). */
        record NotPayable(InvoiceStatus status, boolean expired) implements Result {
        }

        record Refused(Rejection rejection) implements Result {
        }
    }

    private final InvoiceStore store;
    private final MerchantStore merchants;
    private final InitiatingPayment initiating;
    private final Clock clock;

    public PayingInvoice(InvoiceStore store, MerchantStore merchants, InitiatingPayment initiating, Clock clock) {
        this.store = store;
        this.merchants = merchants;
        this.initiating = initiating;
        this.clock = clock;
    }

    /** The invoices a payer may see on their handset. */
    public List<Invoice> open(String payerMsisdn) {
        return store.openFor(payerMsisdn, OPEN_INVOICES_MAX);
    }

    /**
     * @param approval the operator's record that the payer approved this payment with the PIN
     *                 (the handset's); the deposit names it so that the operator does not prompt again
     */
    public Result pay(UUID invoiceId, String payerMsisdn, String approval) {
        Optional<Invoice> found = store.get(invoiceId).filter(i -> i.payerMsisdn().equals(payerMsisdn));
        if (found.isEmpty()) {
            return new Result.NotFound();
        }
        Instant now = clock.instant();
        Optional<Invoice> claimed = store.claimForPayment(invoiceId, now);
        if (claimed.isEmpty()) {
            // Someone else's claim, a cancel or the expiry came first; say which.
            Invoice current = store.get(invoiceId).orElse(found.get());
            return new Result.NotPayable(current.status(), current.expiredAt(now));
        }
        Invoice invoice = claimed.get();
        Optional<Merchant> merchant = merchants.byId(invoice.merchantId());
        if (merchant.isEmpty()) {
            store.move(invoiceId, InvoiceStatus.PAYING, InvoiceStatus.PENDING, null, false, "merchant gone", now);
            return new Result.NotFound();
        }
        return switch (initiating.initiate(deposit(invoice, merchant.get(), approval))) {
            case InitiatingPayment.Result.Accepted a -> new Result.Paying(invoice);
            // Only a retry after a crash between the claim and the deposit lands here.
            case InitiatingPayment.Result.Duplicate d -> new Result.Paying(invoice);
            case InitiatingPayment.Result.Rejected r -> {
                LOG.info("deposit for invoice {} refused: {}", invoiceId, r.rejection().code());
                store.move(invoiceId, InvoiceStatus.PAYING, InvoiceStatus.PENDING, r.rejection().code().name(), false,
                        "deposit refused", clock.instant());
                yield new Result.Refused(r.rejection());
            }
        };
    }

    private static PaymentRequest deposit(Invoice i, Merchant merchant, String approval) {
        String statement = i.description() == null || i.description().isBlank() ? null
                : i.description().length() <= STATEMENT_CHARS_MAX ? i.description()
                : i.description().substring(0, STATEMENT_CHARS_MAX);
        List<Payment.MetadataItem> metadata = List.of(new Payment.MetadataItem("invoiceId", i.id().toString(), false),
                new Payment.MetadataItem("externalId", i.externalId(), false));
        return new PaymentRequest(merchant, PaymentKind.DEPOSIT, i.depositRef(), DIALECT,
                new Amount(i.amount(), i.amountText()), i.currency(), null, i.correspondent(), i.payerMsisdn(), null,
                statement, approval, metadata, i.depositRef(), null, null);
    }
}
