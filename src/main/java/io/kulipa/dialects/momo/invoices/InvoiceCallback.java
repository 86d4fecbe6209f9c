package io.kulipa.dialects.momo.invoices;

/** Sends an invoice's final-status callback once and records the attempt; implemented in {@code webhooks}. */
public interface InvoiceCallback {

    void deliver(Invoice invoice);
}
