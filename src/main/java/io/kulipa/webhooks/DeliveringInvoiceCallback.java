package io.kulipa.webhooks;

import io.kulipa.payments.invoices.Invoice;
import io.kulipa.payments.invoices.InvoiceCallback;
import io.kulipa.payments.invoices.InvoiceStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
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
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final InvoiceStore store;
    private final UrlGuard guard;
    private final Function<Invoice, String> render;
    private final HttpClient http;

    public DeliveringInvoiceCallback(InvoiceStore store, UrlGuard guard, Function<Invoice, String> render) {
        this.store = store;
        this.guard = guard;
        this.render = render;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    @Override
    public void deliver(Invoice invoice) {
        String url = invoice.callbackUrl();
        if (url == null) {
            return;
        }
        var refusal = guard.refusal(url);
        if (refusal.isPresent()) {
            LOG.warn("callback for invoice {} not sent: {}", invoice.id(), refusal.get());
            store.recordCallbackAttempt(invoice.id(), url, null, refusal.get(), 0);
            return;
        }
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(render.apply(invoice))).build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        store.recordCallbackAttempt(invoice.id(), url, status, error, (System.nanoTime() - started) / 1_000_000);
    }
}
