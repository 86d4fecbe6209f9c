package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.callbacks.CallbackFormat;
import io.kulipa.callbacks.RetryPolicy;

/**
 * MoMo's words for payments: the RequestToPayResult and TransferResult objects that the status
 * GET answers and that the callback carries. MoMo v1_0 sends its callback with PUT, once, with
 * no retry, and only to the X-Callback-Url of the request.
 */
public final class MomoJson implements CallbackFormat {

    public static final String DIALECT = "momo";
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Metadata fields that keep what MoMo's request carried and its status object gives back. */
    static final String EXTERNAL_ID = "externalId";
    static final String PAYER_MESSAGE = "payerMessage";
    static final String PAYEE_NOTE = "payeeNote";
    /** Kept with every MoMo payment: which operation made it and with which API version. */
    static final String OPERATION = "momoOperation";
    static final String VERSION = "momoVersion";
    /** The request to pay a refund returns money of, and the service-provider payment's own fields. */
    static final String REFERENCE_ID_TO_REFUND = "referenceIdToRefund";
    static final String EXTERNAL_TRANSACTION_ID = "externalTransactionId";
    static final String SERVICE_PROVIDER = "serviceProviderUserName";

    @Override
    public String render(Payment payment) {
        return result(payment).toString();
    }

    /** v1_0 calls back with PUT, v2_0 with POST, as MoMo does. */
    @Override
    public String method(Payment payment) {
        return MomoOperation.V2.NAME.equals(metadata(payment, VERSION)) ? "POST" : "PUT";
    }

    static MomoOperation operation(Payment p) {
        String key = metadata(p, OPERATION);
        return MomoOperation.ofKey(key.isEmpty() ? null : key, p.kind());
    }

    @Override
    public RetryPolicy retryPolicy() {
        return RetryPolicy.ONCE;
    }

    /**
     * MoMo calls back only to the URL given with the request; without one it sends nothing, so
     * a URL the merchant set for another dialect is never used.
     */
    @Override
    public boolean usesMerchantCallbackUrl() {
        return false;
    }

    static String status(PaymentState state) {
        return switch (state) {
            case ACCEPTED, ENQUEUED, IN_DOUBT, SUBMITTED -> "PENDING";
            case COMPLETED -> "SUCCESSFUL";
            case FAILED -> "FAILED";
        };
    }

    /** The core's failure code in MoMo's ErrorReason words (see {@link MomoReasons}). */
    static String reason(FailureCode code) {
        return MomoReasons.failure(code);
    }

    /** The status object of a request to pay (payer) or a transfer (payee), in MoMo's field order. */
    static ObjectNode result(Payment p) {
        MomoOperation op = operation(p);
        if (op == MomoOperation.SERVICE_PAYMENT) {
            return paymentResult(p);
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("amount", p.amountText());
        o.put("currency", p.currency());
        if (p.state() == PaymentState.COMPLETED && p.providerRef() != null) {
            o.put("financialTransactionId", p.providerRef());
        }
        o.put(EXTERNAL_ID, metadata(p, EXTERNAL_ID));
        ObjectNode party = o.putObject(op.partyField());
        party.put("partyIdType", "MSISDN");
        party.put("partyId", p.msisdn());
        o.put(PAYER_MESSAGE, metadata(p, PAYER_MESSAGE));
        o.put(PAYEE_NOTE, metadata(p, PAYEE_NOTE));
        o.put("status", status(p.state()));
        if (p.state() == PaymentState.FAILED) {
            o.put("reason", MomoReasons.failure(p));
        }
        return o;
    }

    /** The status object of a v2_0 service-provider payment: MoMo's PaymentResult. */
    private static ObjectNode paymentResult(Payment p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("referenceId", p.clientRef());
        o.put("status", status(p.state()));
        if (p.state() == PaymentState.COMPLETED && p.providerRef() != null) {
            o.put("financialTransactionId", p.providerRef());
        }
        if (p.state() == PaymentState.FAILED) {
            o.put("reason", MomoReasons.failure(p));
        }
        return o;
    }

    static String metadata(Payment p, String field) {
        return p.metadata().stream().filter(m -> m.fieldName().equals(field)).map(Payment.MetadataItem::fieldValue)
                .findFirst().orElse("");
    }
}
