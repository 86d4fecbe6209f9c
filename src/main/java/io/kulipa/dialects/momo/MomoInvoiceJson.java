package io.kulipa.dialects.momo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.callbacks.Callback;
import io.kulipa.callbacks.CallbackPolicy;
import io.kulipa.callbacks.CallbackSource;
import io.kulipa.dialects.momo.invoices.Invoice;
import io.kulipa.dialects.momo.invoices.InvoiceStatus;
import io.kulipa.payments.FailureCode;
import io.kulipa.dialects.momo.invoices.InvoiceStore;

/**
 * MoMo's invoice status object (GET /collection/v2_0/invoice/{referenceId} and the callback):
 * referenceId, externalId, amount, currency, status, paymentReference, invoiceId,
 * expiryDateTime, intendedPayer and description as MoMo names them. A payment under way is
 * still PENDING to MoMo; a FAILED invoice also says why in MoMo's errorReason {code, message}.
 */
public final class MomoInvoiceJson {

    private MomoInvoiceJson() {
    }

    static String wireStatus(InvoiceStatus status) {
        return status == InvoiceStatus.PAYING ? "PENDING" : status.name();
    }

    static ObjectNode result(Invoice i) {
        ObjectNode o = MomoJson.MAPPER.createObjectNode();
        o.put("referenceId", i.referenceId().toString());
        o.put(MomoJson.EXTERNAL_ID, i.externalId());
        // As the merchant wrote it, as MoMo echoes a request to pay's amount.
        o.put("amount", i.amountText());
        o.put("currency", i.currency());
        o.put("status", wireStatus(i.status()));
        o.put("paymentReference", i.paymentReference());
        o.put("invoiceId", i.id().toString());
        o.put("expiryDateTime", i.expiresAt().toString());
        ObjectNode payer = o.putObject("intendedPayer");
        payer.put("partyIdType", "MSISDN");
        payer.put("partyId", i.payerMsisdn());
        o.put("description", i.description());
        if (i.status() == InvoiceStatus.FAILED) {
            ObjectNode reason = o.putObject("errorReason");
            // An invoice's own expiry is MoMo's EXPIRED; a code its deposit failed with is the core's.
            reason.put("code", "EXPIRED".equals(i.failureCode()) ? i.failureCode()
                    : MomoReasons.failure(FailureCode.fromProvider(i.failureCode())));
            reason.put("message", "EXPIRED".equals(i.failureCode())
                    ? "The invoice was not paid before " + i.expiresAt() : "The invoice could not be paid.");
        }
        return o;
    }

    /** A final invoice's callback: its status object, by POST (v2 callbacks are POSTs), once. */
    public static CallbackSource callbackSource(InvoiceStore store) {
        return CallbackSource.byUuid(id -> store.get(id).filter(i -> i.status().isFinal())
                .map(i -> new Callback(MomoJson.DIALECT, "invoice", i.merchantId(), i.callbackUrl(), "POST",
                        render(i), CallbackPolicy.ONCE)));
    }

    /** The callback body: the status object, as GET shows it. */
    public static String render(Invoice invoice) {
        try {
            return MomoJson.MAPPER.writeValueAsString(result(invoice));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
