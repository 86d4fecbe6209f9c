package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.dialects.momo.invoices.CreatingInvoice;
import io.kulipa.dialects.momo.invoices.Invoice;
import io.kulipa.dialects.momo.invoices.NewInvoice;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads MoMo's CreateInvoice body {externalId, amount, currency, validityDuration,
 * intendedPayer {partyIdType, partyId}, payee {partyIdType, partyId}, description}: each field's
 * own format, with a message that names the field. The core checks the payer and the amount.
 */
final class MomoInvoiceRequests {

    private static final Set<String> PARTY_ID_TYPES = Set.of("MSISDN", "EMAIL", "PARTY_CODE");
    /** Seconds, as digits: at most the digits of the longest validity. */
    private static final int VALIDITY_DIGITS_MAX = 12;

    private MomoInvoiceRequests() {
    }

    /** Either an invoice for the core or the error to answer with. */
    record Parsed(NewInvoice invoice, MomoRequests.MomoError error) {
        static Parsed error(String code, String message) {
            return new Parsed(null, new MomoRequests.MomoError(400, code, message));
        }
    }

    static Parsed parse(JsonNode body, Merchant merchant, UUID reference, UUID apiUser,
                        MomoEnvironments.Environment env, String callbackUrl) {
        if (body == null || !body.isObject()) {
            return Parsed.error(MomoErrors.BAD_REQUEST, "The body must be a JSON object such as {\"externalId\": "
                    + "\"INV-1\", \"amount\": \"5\", \"currency\": \"EUR\", \"validityDuration\": \"3600\", "
                    + "\"intendedPayer\": {\"partyIdType\": \"MSISDN\", \"partyId\": \"46733123453\"}, \"payee\": "
                    + "{\"partyIdType\": \"MSISDN\", \"partyId\": \"46733123454\"}, \"description\": \"...\"}");
        }
        Optional<String> externalId = text(body, MomoJson.EXTERNAL_ID, true);
        if (externalId.isEmpty() || externalId.get().isBlank()) {
            return Parsed.error(MomoErrors.BAD_REQUEST, "externalId: is required, a string of at most "
                    + MomoRequests.MAX_TEXT_CHARS + " characters");
        }
        String amountText = MomoRequests.amountText(body.get("amount"));
        Optional<Amount> amount = amountText == null ? Optional.empty() : Amount.parse(amountText);
        if (amount.isEmpty() || amount.get().isZero()) {
            return Parsed.error(MomoErrors.BAD_REQUEST, "amount: is required as a string of digits above zero with "
                    + "at most two decimal places, for example \"5\" or \"5.50\""
                    + (amountText == null ? "" : "; got '" + amountText + "'"));
        }
        JsonNode currency = body.get("currency");
        if (currency == null || !currency.isTextual() || !currency.asText().equals(env.currency())) {
            return Parsed.error("INVALID_CURRENCY", "currency: the target environment " + env.name() + " uses "
                    + env.currency() + (currency == null || !currency.isTextual() ? "; it is required"
                    : ", not '" + currency.asText() + "'"));
        }
        Optional<Duration> validity = validity(body.get("validityDuration"));
        if (validity.isEmpty()) {
            return Parsed.error(MomoErrors.BAD_REQUEST, "validityDuration: is required, the seconds the invoice "
                    + "may be paid in, from 1 to " + CreatingInvoice.MAX_VALIDITY.toSeconds() + ", for example \"3600\"");
        }
        JsonNode payer = body.get("intendedPayer");
        if (payer == null || !payer.isObject() || !"MSISDN".equalsIgnoreCase(MomoRequests.text(payer, "partyIdType"))) {
            return Parsed.error(MomoErrors.BAD_REQUEST, "intendedPayer: is required as {\"partyIdType\": \"MSISDN\", "
                    + "\"partyId\": \"46733123453\"} (Kulipa's payers pay from a phone, so MSISDN only)");
        }
        String payerId = MomoRequests.text(payer, "partyId");
        if (payerId == null || payerId.isBlank()) {
            return Parsed.error("PAYER_NOT_FOUND", "intendedPayer.partyId: is required, the payer's number in "
                    + "international form without '+', such as 46733123453");
        }
        JsonNode payee = body.get("payee");
        String payeeType = payee == null ? null : MomoRequests.text(payee, "partyIdType");
        String payeeId = payee == null ? null : MomoRequests.text(payee, "partyId");
        if (payeeType == null || !PARTY_ID_TYPES.contains(payeeType.toUpperCase(Locale.ROOT))
                || payeeId == null || payeeId.isBlank() || payeeId.length() > MomoRequests.MAX_TEXT_CHARS) {
            return Parsed.error(MomoErrors.BAD_REQUEST, "payee: is required as {\"partyIdType\": \"MSISDN\", "
                    + "\"partyId\": \"46733123454\"}, partyIdType one of MSISDN, EMAIL, PARTY_CODE");
        }
        Optional<String> description = text(body, "description", false);
        if (description == null) {
            return Parsed.error(MomoErrors.BAD_REQUEST, "description: must be a string of at most "
                    + MomoRequests.MAX_TEXT_CHARS + " characters");
        }
        return new Parsed(new NewInvoice(merchant, reference, apiUser, env.name(), env.correspondent().id(),
                externalId.get(), amount.get(), env.currency(), payerId.trim(),
                new Invoice.Party(payeeType.toUpperCase(Locale.ROOT), payeeId), description.orElse(null),
                validity.get(), callbackUrl), null);
    }

    /**
     * A bounded text field: empty when absent, null when present but not a short string (or
     * a number, which MoMo's clients send for ids). A required absent field is empty too.
     */
    private static Optional<String> text(JsonNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if ((!value.isTextual() && !value.isNumber()) || value.asText().length() > MomoRequests.MAX_TEXT_CHARS) {
            return required ? Optional.empty() : null;
        }
        return Optional.of(value.asText());
    }

    /** MoMo's validityDuration is a string of seconds; a JSON number is read the same way. */
    private static Optional<Duration> validity(JsonNode node) {
        String text = scalar(node);
        if (text == null || !text.matches("^[0-9]{1," + VALIDITY_DIGITS_MAX + "}$")) {
            return Optional.empty();
        }
        long seconds = Long.parseLong(text);
        if (seconds < 1 || seconds > CreatingInvoice.MAX_VALIDITY.toSeconds()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }

    private static String scalar(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText().trim();
        }
        return node.isNumber() ? node.asText() : node.toString();
    }
}
