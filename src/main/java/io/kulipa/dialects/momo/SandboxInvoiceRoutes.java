package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.Routes;
import io.kulipa.web.ToolRequests;
import io.kulipa.money.Msisdn;
import io.kulipa.dialects.momo.invoices.Invoice;
import io.kulipa.dialects.momo.invoices.InvoiceStatus;
import io.kulipa.dialects.momo.invoices.PayingInvoice;
import io.kulipa.providers.simulator.SimPin;
import io.kulipa.providers.simulator.SimulatedOperators;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The invoices waiting on a virtual handset, and paying one with the PIN: the customer's
 * "pay at a later stage via any channel". The PIN is the simulated wallet's; paying makes the
 * invoice's deposit, already approved, so no prompt follows. Sandbox mode only.
 */
public final class SandboxInvoiceRoutes implements Routes {

    private final SimulatedOperators operators;
    private final PayingInvoice paying;

    public SandboxInvoiceRoutes(SimulatedOperators operators, PayingInvoice paying) {
        this.operators = operators;
        this.paying = paying;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/sandbox/handsets/{msisdn}/invoices", this::list);
        routes.post("/sandbox/handsets/{msisdn}/invoices/{invoiceId}/pay", this::pay);
    }

    private void list(Context ctx) {
        ToolRequests.withMsisdn(ctx, msisdn ->
                ctx.json(paying.open(msisdn).stream().map(SandboxInvoiceRoutes::view).toList()));
    }

    private static Map<String, Object> view(Invoice i) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("invoiceId", i.id().toString());
        v.put("paymentReference", i.paymentReference());
        v.put("amount", i.amountText());
        v.put("currency", i.currency());
        v.put("description", i.description());
        v.put("payee", Map.of("partyIdType", i.payee().idType(), "partyId", i.payee().id()));
        v.put("status", i.status() == InvoiceStatus.PAYING ? "PAYING" : "PENDING");
        v.put("expiresAt", i.expiresAt().toString());
        v.put("message", "Pay " + i.amountText() + " " + i.currency()
                + (i.description() == null ? "" : " for " + i.description()) + "? Enter your PIN to pay.");
        return v;
    }

    private void pay(Context ctx) {
        ToolRequests.withMsisdn(ctx, msisdn -> pay(ctx, msisdn));
    }

    private void pay(Context ctx, String msisdn) {
        Optional<UUID> invoiceId = uuid(ctx.pathParam("invoiceId"));
        Optional<JsonNode> read = ToolRequests.body(ctx);
        if (read.isEmpty()) {
            return;
        }
        JsonNode body = read.get();
        String pin = body.path("pin").isTextual() ? body.path("pin").asText() : null;
        if (pin == null) {
            ctx.status(400).json(Map.of("errorMessage", "pin: is required as a string"));
            return;
        }
        if (invoiceId.isEmpty()) {
            notFound(ctx);
            return;
        }
        String opening = operators.settings().defaultPin();
        if (!operators.wallet(msisdn).map(w -> w.pinIs(pin, opening)).orElseGet(() -> SimPin.matches(null, opening, pin))) {
            ctx.status(403).json(Map.of("errorMessage", "Wrong PIN; the invoice was not paid"));
            return;
        }
        // The operator records the PIN-approved payment; the deposit names it and is not prompted again.
        String approval = "INVOICE-" + UUID.randomUUID();
        operators.approvals().approvedOnTheHandset(approval, msisdn, "Invoice " + invoiceId.get());
        switch (paying.pay(invoiceId.get(), msisdn, approval)) {
            case PayingInvoice.Result.Paying p -> ctx.json(Map.of("result", "DONE", "invoiceId",
                    p.invoice().id().toString()));
            case PayingInvoice.Result.NotFound n -> notFound(ctx);
            case PayingInvoice.Result.NotPayable n -> ctx.status(409).json(Map.of("errorMessage", why(n)));
            case PayingInvoice.Result.Refused r -> ctx.status(409).json(Map.of("errorMessage",
                    "The operator refused the payment: " + r.rejection().message()));
        }
    }

    private static String why(PayingInvoice.Result.NotPayable n) {
        if (n.expired() || n.status() == InvoiceStatus.FAILED) {
            return "The invoice has expired and can no longer be paid";
        }
        return switch (n.status()) {
            case PAYING -> "The invoice is being paid already";
            case SUCCESSFUL -> "The invoice is paid already";
            case CANCELLED -> "The merchant cancelled the invoice";
            default -> "The invoice cannot be paid now";
        };
    }

    private static void notFound(Context ctx) {
        ctx.status(404).json(Map.of("errorMessage", "No invoice with that id for this handset"));
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
