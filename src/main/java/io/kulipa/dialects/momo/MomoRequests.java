package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.web.Fingerprint;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.Rejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads MoMo's request to pay and transfer bodies: each field's own format, with a message
 * that names the field. Business rules (currency, limits, phone numbers) are the core's; this
 * class only turns the core's refusals into MoMo's ErrorReason codes.
 */
final class MomoRequests {

    /** MoMo's free-text fields are kept as metadata, bounded like the core's metadata. */
    static final int MAX_TEXT_CHARS = 256;

    private MomoRequests() {
    }

    /** An answer in MoMo's ErrorReason shape: HTTP status, code, message. */
    record MomoError(int status, String code, String message) {
    }

    /** Either a request for the core or the error to answer with. */
    record Parsed(PaymentRequest request, MomoError error) {
        static Parsed error(int status, String code, String message) {
            return new Parsed(null, new MomoError(status, code, message));
        }
    }

    /** What the path and the headers said, besides credentials. */
    record Headers(String referenceId, MomoEnvironments.Environment environment, String callbackUrl,
                   MomoOperation operation, String version) {
    }

    /** A refund for the core, or the error to answer with. */
    record ParsedRefund(io.kulipa.payments.RefundingDeposit.Request request, MomoError error) {
    }

    /**
     * {amount, currency, externalId, payer|payee {partyIdType, partyId}, payerMessage, payeeNote}.
     */
    static Parsed parse(JsonNode body, Merchant merchant, Headers h) {
        PaymentKind kind = h.operation().kind();
        String party = h.operation().partyField();
        if (body == null || !body.isObject()) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "The body must be a JSON object such as {\"amount\": \"5\", "
                    + "\"currency\": \"EUR\", \"externalId\": \"6353636\", \"" + party + "\": {\"partyIdType\": "
                    + "\"MSISDN\", \"partyId\": \"46733123453\"}, \"payerMessage\": \"...\", \"payeeNote\": \"...\"}");
        }
        MomoError moneyError = moneyError(body.get("amount"), body.get("currency"), "", h);
        if (moneyError != null) {
            return new Parsed(null, moneyError);
        }
        Amount amount = Amount.parse(amountText(body.get("amount"))).orElseThrow();
        JsonNode partyNode = body.get(party);
        String notFound = kind == PaymentKind.DEPOSIT ? "PAYER_NOT_FOUND" : "PAYEE_NOT_FOUND";
        if (partyNode == null || !partyNode.isObject()) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, party + ": is required as {\"partyIdType\": \"MSISDN\", "
                    + "\"partyId\": \"46733123453\"}");
        }
        String type = text(partyNode, "partyIdType");
        if (type == null || !type.toUpperCase(Locale.ROOT).equals("MSISDN")) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, party + ".partyIdType: must be MSISDN (Kulipa holds MoMo "
                    + "accounts by phone number only; EMAIL and PARTY_CODE are not supported)");
        }
        String msisdn = text(partyNode, "partyId");
        if (msisdn == null || msisdn.isBlank()) {
            return Parsed.error(400, notFound, party + ".partyId: is required, the account holder's number in "
                    + "international form without '+', such as 46733123453");
        }
        List<Payment.MetadataItem> metadata = new ArrayList<>();
        MomoError textError = texts(body, List.of(MomoJson.EXTERNAL_ID, MomoJson.PAYER_MESSAGE, MomoJson.PAYEE_NOTE),
                metadata, h);
        if (textError != null) {
            return new Parsed(null, textError);
        }
        String statement = text(body, kind == PaymentKind.DEPOSIT ? MomoJson.PAYER_MESSAGE : MomoJson.PAYEE_NOTE);
        return new Parsed(new PaymentRequest(merchant, kind, h.referenceId(), MomoJson.DIALECT, amount,
                h.environment().currency(), null, h.environment().correspondent().id(), msisdn, null,
                statement == null || statement.isBlank() ? null : statement, null, metadata, fingerprint(body, h),
                h.callbackUrl(), null), null);
    }

    /**
     * A refund: {amount, currency, externalId, payerMessage, payeeNote, referenceIdToRefund}. The
     * money goes back to the payer of the request to pay named by referenceIdToRefund.
     */
    static ParsedRefund parseRefund(JsonNode body, Merchant merchant, Headers h) {
        if (body == null || !body.isObject()) {
            return refundError(MomoErrors.BAD_REQUEST, "The body must be a JSON object such as {\"amount\": \"5\", "
                    + "\"currency\": \"EUR\", \"externalId\": \"6353636\", \"payerMessage\": \"...\", \"payeeNote\": "
                    + "\"...\", \"referenceIdToRefund\": \"<X-Reference-Id of the request to pay>\"}");
        }
        MomoError moneyError = moneyError(body.get("amount"), body.get("currency"), "", h);
        if (moneyError != null) {
            return new ParsedRefund(null, moneyError);
        }
        String toRefund = text(body, MomoJson.REFERENCE_ID_TO_REFUND);
        if (toRefund == null || MomoRoutes.uuid(toRefund).isEmpty()) {
            return refundError(MomoErrors.BAD_REQUEST, MomoJson.REFERENCE_ID_TO_REFUND + ": is required, the "
                    + "X-Reference-Id (a UUID) of the successful request to pay to refund");
        }
        List<Payment.MetadataItem> metadata = new ArrayList<>();
        MomoError textError = texts(body, List.of(MomoJson.EXTERNAL_ID, MomoJson.PAYER_MESSAGE, MomoJson.PAYEE_NOTE),
                metadata, h);
        if (textError != null) {
            return new ParsedRefund(null, textError);
        }
        String deposit = MomoRoutes.uuid(toRefund).orElseThrow().toString();
        metadata.add(new Payment.MetadataItem(MomoJson.REFERENCE_ID_TO_REFUND, deposit, false));
        Amount amount = Amount.parse(amountText(body.get("amount"))).orElseThrow();
        return new ParsedRefund(new io.kulipa.payments.RefundingDeposit.Request(merchant, h.referenceId(), deposit,
                amount, MomoJson.DIALECT, metadata, fingerprint(body, h), h.callbackUrl()), null);
    }

    private static ParsedRefund refundError(String code, String message) {
        return new ParsedRefund(null, new MomoError(400, code, message));
    }

    /**
     * A v2_0 service-provider payment: {externalTransactionId, money {amount, currency},
     * customerReference, serviceProviderUserName, receiverMessage, senderNote, ...}. It pays from the
     * merchant's wallet for the customer whose number is customerReference (a bill or an airtime
     * top-up), so it is a core payout to that number.
     */
    static Parsed parseServicePayment(JsonNode body, Merchant merchant, Headers h) {
        if (body == null || !body.isObject()) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "The body must be a JSON object such as "
                    + "{\"externalTransactionId\": \"...\", \"money\": {\"amount\": \"5\", \"currency\": \"EUR\"}, "
                    + "\"customerReference\": \"46733123499\", \"serviceProviderUserName\": \"...\"}");
        }
        JsonNode money = body.get("money");
        if (money == null || !money.isObject()) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "money: is required as {\"amount\": \"5\", \"currency\": \""
                    + h.environment().currency() + "\"}");
        }
        MomoError moneyError = moneyError(money.get("amount"), money.get("currency"), "money.", h);
        if (moneyError != null) {
            return new Parsed(null, moneyError);
        }
        String customer = text(body, "customerReference");
        if (customer == null || customer.isBlank()) {
            return Parsed.error(400, "PAYEE_NOT_FOUND", "customerReference: is required, the number of the customer the "
                    + "payment is for, in international form without '+', such as 46733123499");
        }
        List<Payment.MetadataItem> metadata = new ArrayList<>();
        MomoError textError = texts(body, List.of(MomoJson.EXTERNAL_TRANSACTION_ID, MomoJson.SERVICE_PROVIDER,
                "receiverMessage", "senderNote", "productId", "productOfferingId", "couponId"), metadata, h);
        if (textError != null) {
            return new Parsed(null, textError);
        }
        String statement = text(body, "senderNote");
        Amount amount = Amount.parse(amountText(money.get("amount"))).orElseThrow();
        return new Parsed(new PaymentRequest(merchant, PaymentKind.PAYOUT, h.referenceId(), MomoJson.DIALECT, amount,
                h.environment().currency(), null, h.environment().correspondent().id(), customer.trim(), null,
                statement == null || statement.isBlank() ? null : statement, null, metadata, fingerprint(body, h),
                h.callbackUrl(), null), null);
    }

    /** Checks an amount and a currency; prefix names the object they are in ("money." or none). */
    private static MomoError moneyError(JsonNode amountNode, JsonNode currency, String prefix, Headers h) {
        String amountText = amountText(amountNode);
        java.util.Optional<Amount> amount = amountText == null ? java.util.Optional.empty() : Amount.parse(amountText);
        if (amount.isEmpty() || amount.get().isZero()) {
            return new MomoError(400, MomoErrors.BAD_REQUEST, prefix + "amount: is required as a string of digits "
                    + "above zero with at most two decimal places, for example \"5\" or \"5.50\""
                    + (amountText == null ? "" : "; got '" + amountText + "'"));
        }
        if (currency == null || !currency.isTextual() || currency.asText().isBlank()) {
            return new MomoError(400, "INVALID_CURRENCY", prefix + "currency: is required, as the ISO 4217 code of "
                    + "the target environment " + h.environment().name() + " (" + h.environment().currency() + ")");
        }
        if (!currency.asText().equals(h.environment().currency())) {
            return new MomoError(400, "INVALID_CURRENCY", prefix + "currency: the target environment "
                    + h.environment().name() + " uses " + h.environment().currency() + ", not '" + currency.asText() + "'");
        }
        return null;
    }

    /**
     * Copies MoMo's free-text fields into metadata, with the operation and version that made the
     * payment; answers the error of the first field that is not a bounded string.
     */
    private static MomoError texts(JsonNode body, List<String> fields, List<Payment.MetadataItem> metadata, Headers h) {
        for (String field : fields) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual() && !value.isNumber()) {
                return new MomoError(400, MomoErrors.BAD_REQUEST, field + ": must be a string");
            }
            if (value.asText().length() > MAX_TEXT_CHARS) {
                return new MomoError(400, MomoErrors.BAD_REQUEST, field + ": at most " + MAX_TEXT_CHARS
                        + " characters, got " + value.asText().length());
            }
            metadata.add(new Payment.MetadataItem(field, value.asText(), false));
        }
        metadata.add(new Payment.MetadataItem(MomoJson.OPERATION, h.operation().key(), false));
        metadata.add(new Payment.MetadataItem(MomoJson.VERSION, h.version(), false));
        return null;
    }

    /** The body, the target environment and the callback URL: what makes a repeat the same request. */
    private static String fingerprint(JsonNode body, Headers h) {
        ObjectNode all = MomoJson.MAPPER.createObjectNode();
        all.set("body", body);
        all.put("targetEnvironment", h.environment().name());
        all.put("callbackUrl", h.callbackUrl());
        all.put("operation", h.operation().key());
        return Fingerprint.of(all);
    }

    /**
     * MoMo's amount exactly as written, for every MoMo body that carries one: a string as it is
     * (" 15" or "15\n" is not an amount, so nothing is trimmed), or a JSON number's own wire
     * text, so that 1e2 is refused rather than turned into "100.0" through a double.
     */
    static String amountText(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() || node.isNumber() ? node.asText() : node.toString();
    }

    /** The core's refusal of a request, in MoMo's ErrorReason words, with the field named as MoMo names it. */
    static MomoError refusal(Rejection r) {
        String message = r.message()
                .replace("payer.address.value:", "payer.partyId:")
                .replace("recipient.address.value:", "payee.partyId:")
                .replace("depositId:", MomoJson.REFERENCE_ID_TO_REFUND + ":")
                .replace("deposit ", "request to pay ");
        MomoReasons.Refusal refusal = MomoReasons.rejection(r.code());
        return new MomoError(refusal.status(), refusal.code(), message);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
