package io.kulipa.dialects.momo.invoices;

import io.kulipa.outbox.PollingLoop;
import io.kulipa.payments.PaymentState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Keeps invoices in step with the world, in a background loop: a PAYING invoice follows its
 * deposit (SUCCESSFUL when it completes, PENDING again when it fails so that the payer may try
 * once more), a PENDING invoice past its validity FAILS as EXPIRED, and an invoice that reached
 * a final state has its one callback added to the outbox with that change. The table is the
 * source of truth, so any node may do it.
 */
public final class SettlingInvoices implements AutoCloseable {

    static final int BATCH_MAX = 64;
    /**
     * Each idle pass is four small queries on every node; a second between passes keeps that
     * background load low, and an invoice's status follows its deposit within about a second.
     */
    static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** A claim with no deposit this long after is a crash between the two; the invoice is payable again. */
    static final Duration ORPHANED_CLAIM_AFTER = Duration.ofMinutes(1);
    static final String EXPIRED = "EXPIRED";

    private final InvoiceStore store;
    private final Clock clock;
    private final PollingLoop loop = new PollingLoop("settling-invoices", IDLE_POLL, this::settleOnce);

    public SettlingInvoices(InvoiceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void start() {
        loop.start();
    }

    /** One pass; answers how much work it did. Public for tests that drive it by hand. */
    public int settleOnce() {
        int work = 0;
        Instant now = clock.instant();
        for (InvoiceStore.FinishedDeposit d : store.finishedDeposits(BATCH_MAX)) {
            work++;
            if (d.state() == PaymentState.COMPLETED) {
                store.move(d.invoiceId(), InvoiceStatus.PAYING, InvoiceStatus.SUCCESSFUL, null, true,
                        "deposit completed", now);
            } else {
                boolean expired = store.get(d.invoiceId()).map(i -> i.expiredAt(now)).orElse(false);
                store.move(d.invoiceId(), InvoiceStatus.PAYING, expired ? InvoiceStatus.FAILED : InvoiceStatus.PENDING,
                        expired ? EXPIRED : d.failureCode(), expired, "deposit failed: " + d.failureCode(), now);
            }
        }
        for (UUID id : store.orphanedPayments(now.minus(ORPHANED_CLAIM_AFTER), BATCH_MAX)) {
            work++;
            store.move(id, InvoiceStatus.PAYING, InvoiceStatus.PENDING, null, false, "claim without deposit", now);
        }
        for (UUID id : store.expired(now, BATCH_MAX)) {
            work++;
            store.move(id, InvoiceStatus.PENDING, InvoiceStatus.FAILED, EXPIRED, true, "expired", now);
        }
        return work;
    }

    @Override
    public void close() {
        loop.close();
    }
}
