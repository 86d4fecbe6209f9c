package io.kulipa.dialects.momo.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The invoice state machine as data: every status has its row, final ones go nowhere. */
class InvoiceStatusTest {

    @Test
    void everyStatusHasItsMovesAndOnlyPaidFailedAndCancelledAreFinal() {
        assertThat(InvoiceStatus.TRANSITIONS).containsOnlyKeys(InvoiceStatus.values());
        assertThat(InvoiceStatus.values()).filteredOn(InvoiceStatus::isFinal)
                .containsExactlyInAnyOrder(InvoiceStatus.SUCCESSFUL, InvoiceStatus.FAILED, InvoiceStatus.CANCELLED);
    }

    @Test
    void onlyAPendingInvoiceIsPaidOrCancelledAndAFailedDepositMakesItPendingAgain() {
        assertThat(InvoiceStatus.PENDING.canMoveTo(InvoiceStatus.PAYING)).isTrue();
        assertThat(InvoiceStatus.PENDING.canMoveTo(InvoiceStatus.CANCELLED)).isTrue();
        assertThat(InvoiceStatus.PAYING.canMoveTo(InvoiceStatus.CANCELLED)).isFalse();
        assertThat(InvoiceStatus.PAYING.canMoveTo(InvoiceStatus.PENDING)).isTrue();
        assertThat(InvoiceStatus.PENDING.canMoveTo(InvoiceStatus.SUCCESSFUL)).isFalse();
        assertThat(InvoiceStatus.CANCELLED.canMoveTo(InvoiceStatus.PAYING)).isFalse();
    }
}
