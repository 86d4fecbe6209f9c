package io.kulipa.dialects.momo.invoices;

import io.kulipa.callbacks.SendingCallbackOnce;
import io.kulipa.callbacks.UrlGuard;

import io.kulipa.dialects.momo.invoices.Invoice;
import io.kulipa.dialects.momo.invoices.InvoiceCallback;
import io.kulipa.dialects.momo.invoices.InvoiceStore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an invoice's final-status callback: one POST (MoMo's v2 callbacks are POSTs and MoMo
 * sends once, so there is no retry), through the {@link UrlGuard}, with the attempt recorded
 * whatever happened. The body is rendered by the dialect, which this package does not know.
 */
public final class DeliveringInvoiceCallback implements InvoiceCallback {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveringInvoiceCallback.class);

    private final InvoiceStore store;
    private final SendingCallbackOnce sending;
    private final Function<Invoice, String> render;

    public DeliveringInvoiceCallback(InvoiceStore store, SendingCallbackOnce sending, Function<Invoice, String> render) {
        this.store = store;
        this.sending = sending;
        this.render = render;
    }

    @Override
    public void deliver(Invoice invoice) {
        String url = invoice.callbackUrl();
        if (url == null) {
            return;
        }
        SendingCallbackOnce.Attempt a = sending.attempt(url, "POST", render.apply(invoice));
        if (a.httpStatus() == null) {
            LOG.warn("callback for invoice {} not delivered: {}", invoice.id(), a.error());
        }
        store.recordCallbackAttempt(invoice.id(), url, a.httpStatus(), a.error(), a.durationMillis());
    }
}
