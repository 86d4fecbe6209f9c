package io.kulipa.dialects.momo.store;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The append-only histories of pre-approvals and consents, of the one shape every history has
 * (the subject's id, at, from_status, to_status, event, detail; invoices and vouchers write
 * theirs in their own stores, with the same columns). Rows are only ever inserted, in the
 * transaction of the change they record.
 */
enum MomoHistory {
    PREAPPROVAL("momo_preapproval_event", "preapproval_id"),
    CONSENT("momo_consent_event", "consent_id");

    private final String table;
    private final String subjectColumn;

    MomoHistory(String table, String subjectColumn) {
        this.table = table;
        this.subjectColumn = subjectColumn;
    }

    /** Appends one row; {@code from} is null for a creation. */
    <S extends Enum<S>> void append(Handle h, UUID subjectId, S from, S to, String event, String detail) {
        h.createUpdate("INSERT INTO " + table + " (" + subjectColumn + ", from_status, to_status, event, detail) "
                        + "VALUES (:id, :from, :to, :event, :detail)")
                .bind("id", subjectId).bind("from", from == null ? null : from.name()).bind("to", to.name())
                .bind("event", event).bind("detail", detail).execute();
    }
}
