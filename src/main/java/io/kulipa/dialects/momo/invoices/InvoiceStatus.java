package io.kulipa.dialects.momo.invoices;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an invoice is in its life. PAYING means a deposit for it is under way; the wire shows
 * it as PENDING. A failed deposit returns the invoice to PENDING so that the payer may try
 * again; FAILED is only reached by expiry. The allowed moves are data, checked by the store's
 * conditional updates and by tests.
 */
public enum InvoiceStatus {
    PENDING,
    PAYING,
    SUCCESSFUL,
    FAILED,
    CANCELLED;

    /** From each status, the statuses it may move to. */
    public static final Map<InvoiceStatus, Set<InvoiceStatus>> TRANSITIONS = Map.of(
            PENDING, EnumSet.of(PAYING, FAILED, CANCELLED),
            PAYING, EnumSet.of(PENDING, SUCCESSFUL, FAILED),
            SUCCESSFUL, EnumSet.noneOf(InvoiceStatus.class),
            FAILED, EnumSet.noneOf(InvoiceStatus.class),
            CANCELLED, EnumSet.noneOf(InvoiceStatus.class));

    public boolean canMoveTo(InvoiceStatus next) {
        return TRANSITIONS.get(this).contains(next);
    }

    public boolean isFinal() {
        return TRANSITIONS.get(this).isEmpty();
    }
}
