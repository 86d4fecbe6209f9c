package io.kulipa.dialects.momo.invoices;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A MoMo invoice as the core keeps it. Immutable: every change is a new row version and an
 * entry in the invoice's history.
 *
 * @param id               the invoiceId, Kulipa's own id, which the payer's handset shows
 * @param referenceId      the X-Reference-Id the merchant created it with
 * @param paymentReference the short code a payer may quote to pay it through any channel
 * @param failureCode      why it FAILED (EXPIRED), or why its last deposit failed while PENDING
 * @param depositRef       the client_ref of its current or last deposit, null before the first
 */
public record Invoice(UUID id, UUID merchantId, UUID referenceId, UUID apiUserId, String environment,
                      String correspondent, String externalId, BigDecimal amount, String amountText,
                      String currency, String payerMsisdn, Party payee, String description,
                      String paymentReference, InvoiceStatus status, String failureCode, Instant expiresAt,
                      String callbackUrl, int paymentAttempts, String depositRef, UUID cancelReferenceId,
                      Instant created, Instant updated) {

    /** The subject kind of an invoice's callback in the outbox. */
    public static final String CALLBACK_SUBJECT = "momo-invoice";

    /** A MoMo party: {partyIdType, partyId}. */
    public record Party(String idType, String id) {
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
