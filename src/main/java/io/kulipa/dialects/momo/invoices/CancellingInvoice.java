package io.kulipa.dialects.momo.invoices;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The merchant cancels an invoice that is still PENDING. A paid, failed or cancelled invoice,
 * or one whose payment is under way, is refused: the money may already be moving. The cancel
 * carries its own X-Reference-Id; reusing one is a duplicate and writes nothing.
 */
public final class CancellingInvoice {

    /** What became of the request. */
    public sealed interface Result {
        record Cancelled(Invoice invoice) implements Result {
        }

        record NotFound() implements Result {
        }

        record Duplicate() implements Result {
        }

        /** The body's externalId is not the invoice's. */
        record WrongExternalId(String expected) implements Result {
        }

        record NotCancellable(InvoiceStatus status) implements Result {
        }
    }

    private final InvoiceStore store;
    private final Clock clock;

    public CancellingInvoice(InvoiceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @param callbackUrl the cancel's own X-Callback-Url (already checked), or null to keep the invoice's */
    public Result cancel(UUID merchantId, UUID referenceId, UUID cancelReferenceId, String externalId,
                         String callbackUrl) {
        if (store.cancelReferenceUsed(merchantId, cancelReferenceId)) {
            return new Result.Duplicate();
        }
        Optional<Invoice> found = store.byReference(merchantId, referenceId);
        if (found.isEmpty()) {
            return new Result.NotFound();
        }
        Invoice invoice = found.get();
        if (!invoice.externalId().equals(externalId)) {
            return new Result.WrongExternalId(invoice.externalId());
        }
        Instant now = clock.instant();
        return switch (store.cancel(invoice.id(), cancelReferenceId, callbackUrl, now)) {
            case CANCELLED -> new Result.Cancelled(store.get(invoice.id()).orElseThrow());
            case DUPLICATE_REFERENCE -> new Result.Duplicate();
            case NOT_PENDING -> new Result.NotCancellable(store.get(invoice.id()).map(Invoice::status)
                    .orElse(invoice.status()));
        };
    }
}
