package io.kulipa.dialects.momo.invoices;

import io.kulipa.states.TransitionTable;
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

    /** The invoice's state machine, of the same shape as every other one (docs/states.md renders it). */
    public static final TransitionTable<InvoiceStatus> TABLE = TransitionTable.of("invoice", PENDING)
            .allow(PENDING, PAYING, FAILED, CANCELLED)
            .allow(PAYING, PENDING, SUCCESSFUL, FAILED)
            .allow(SUCCESSFUL)
            .allow(FAILED)
            .allow(CANCELLED)
            .build();

    /** From each status, the statuses it may move to. */
    public static final Map<InvoiceStatus, Set<InvoiceStatus>> TRANSITIONS = TABLE.asMap();

    public boolean canMoveTo(InvoiceStatus next) {
        return TABLE.allowed(this, next);
    }

    public boolean isFinal() {
        return TABLE.isFinal(this);
    }
}
