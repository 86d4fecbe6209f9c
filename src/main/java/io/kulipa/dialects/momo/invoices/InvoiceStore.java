package io.kulipa.dialects.momo.invoices;

import io.kulipa.payments.PaymentState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Persistence of invoices and their history; implemented in {@code store}. Every change is a
 * conditional update on the current status, with its history entry, in one transaction, so
 * that two nodes or two taps on a handset cannot both make it.
 */
public interface InvoiceStore {

    /** What an insert did. */
    enum Inserted { CREATED, DUPLICATE_REFERENCE, DUPLICATE_PAYMENT_REFERENCE }

    Inserted insert(Invoice invoice);

    Optional<Invoice> get(UUID id);

    Optional<Invoice> byReference(UUID merchantId, UUID referenceId);

    /** The PENDING or PAYING invoices addressed to a payer, newest first, at most {@code max}. */
    List<Invoice> openFor(String payerMsisdn, int max);

    /**
     * PENDING and not expired at {@code now} → PAYING, counting the attempt and naming the
     * deposit it will make. Empty when the invoice was not payable; nothing is written then.
     */
    Optional<Invoice> claimForPayment(UUID id, Instant now);

    /**
     * {@code from} → {@code to}, setting the failure code and, if the invoice has a callback
     * URL and {@code callbackDue}, adding its callback to the outbox in the same transaction.
     * Empty when it was not in {@code from}.
     */
    Optional<Invoice> move(UUID id, InvoiceStatus from, InvoiceStatus to, String failureCode, boolean callbackDue,
                           String event, Instant now);

    /** What a cancel did. */
    enum Cancelled { CANCELLED, NOT_PENDING, DUPLICATE_REFERENCE }

    /**
     * PENDING → CANCELLED with the cancel's own reference and, if given, its callback URL; the
     * callback (to that URL, else the invoice's own) is added to the outbox in the same transaction.
     */
    Cancelled cancel(UUID id, UUID cancelReferenceId, String callbackUrl, Instant now);

    /** Whether the merchant already used this reference to cancel an invoice. */
    boolean cancelReferenceUsed(UUID merchantId, UUID cancelReferenceId);

    /** A PAYING invoice whose deposit has reached a final state. */
    record FinishedDeposit(UUID invoiceId, PaymentState state, String failureCode) {
    }

    List<FinishedDeposit> finishedDeposits(int max);

    /** PAYING invoices since before {@code before} whose deposit was never written (a crash in between). */
    List<UUID> orphanedPayments(Instant before, int max);

    /** PENDING invoices whose validity ended by {@code now}. */
    List<UUID> expired(Instant now, int max);
}
