package io.kulipa.dialects.pawapay;

import com.fasterxml.jackson.databind.JsonNode;
import io.kulipa.web.Fingerprint;
import io.kulipa.money.Amount;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.payments.Rejection;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads pawaPay deposit and payout requests: every field's own format rule, with a message
 * that names the field. Business rules (correspondent, limits, phone numbers) are the core's.
 */
final class PawapayRequests {

    static final Pattern UUID_FORMAT = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern STATEMENT = Pattern.compile("^[a-zA-Z0-9 ]{4,22}$");
    private static final Pattern PRE_AUTHORISATION = Pattern.compile("^[a-zA-Z0-9]{1,36}$");
    /** RFC 3339 date-time: seconds required, optional fraction, 'Z' or an offset. */
    private static final Pattern RFC_3339 = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$");
    private static final Pattern ISO_CODE = Pattern.compile("^[A-Z]{3}$");
    static final int MAX_METADATA_ITEMS = 10;
    private static final int MAX_METADATA_TEXT = 256;

    private PawapayRequests() {
    }

    /** Either a request for the core or the rejection to answer with. */
    record Parsed(PaymentRequest request, Rejection rejection) {
        static Parsed reject(FailureCode code, String message) {
            return new Parsed(null, new Rejection(code, message));
        }
    }

    static String idField(PaymentKind kind) {
        return kind == PaymentKind.DEPOSIT ? "depositId" : kind == PaymentKind.PAYOUT ? "payoutId" : "refundId";
    }

    /** The client id when the body has a well-formed one; the core keys idempotency on it. */
    static Optional<String> clientId(JsonNode body, PaymentKind kind) {
        JsonNode id = body.get(idField(kind));
        return id != null && id.isTextual() && UUID_FORMAT.matcher(id.asText()).matches()
                ? Optional.of(id.asText().toLowerCase()) : Optional.empty();
    }

    /** Either a refund request for the core or the rejection to answer with. */
    record ParsedRefund(RefundingDeposit.Request request, Rejection rejection) {
        static ParsedRefund reject(FailureCode code, String message) {
            return new ParsedRefund(null, new Rejection(code, message));
        }
    }

    /** {refundId, depositId, optional amount, optional metadata}. */
    static ParsedRefund parseRefund(JsonNode body, Merchant merchant) {
        Optional<String> id = clientId(body, PaymentKind.REFUND);
        if (id.isEmpty()) {
            return ParsedRefund.reject(FailureCode.PARAMETER_INVALID, "refundId: must be a UUID of 36 characters");
        }
        JsonNode deposit = body.get("depositId");
        if (deposit == null || !deposit.isTextual() || !UUID_FORMAT.matcher(deposit.asText()).matches()) {
            return ParsedRefund.reject(FailureCode.PARAMETER_INVALID, "depositId: must be the UUID of the deposit to refund");
        }
        Amount amount = null;
        JsonNode amountNode = body.get("amount");
        if (amountNode != null && !amountNode.isNull()) {
            Optional<Amount> parsed = amountNode.isTextual() ? Amount.parse(amountNode.asText()) : Optional.empty();
            if (parsed.isEmpty() || parsed.get().isZero()) {
                return ParsedRefund.reject(FailureCode.INVALID_AMOUNT, "amount: '" + amountNode.asText()
                        + "' is not a valid amount above zero (digits, at most two decimal places)");
            }
            amount = parsed.get();
        }
        List<Payment.MetadataItem> metadata = new ArrayList<>();
        Optional<Rejection> badMetadata = readMetadata(body.get("metadata"), metadata);
        if (badMetadata.isPresent()) {
            return new ParsedRefund(null, badMetadata.get());
        }
        return new ParsedRefund(new RefundingDeposit.Request(merchant, id.get(), deposit.asText().toLowerCase(), amount,
                PawapayJson.DIALECT, metadata, Fingerprint.of(body)), null);
    }

    static Parsed parse(JsonNode body, Merchant merchant, PaymentKind kind) {
        String idField = idField(kind);
        Optional<String> id = clientId(body, kind);
        if (id.isEmpty()) {
            return Parsed.reject(FailureCode.PARAMETER_INVALID, idField + ": must be a UUID of 36 characters");
        }
        JsonNode amountNode = body.get("amount");
        if (amountNode == null || !amountNode.isTextual()) {
            return Parsed.reject(FailureCode.INVALID_AMOUNT, "amount: is required as a string, for example \"15\" or \"15.50\"");
        }
        Optional<Amount> amount = Amount.parse(amountNode.asText());
        if (amount.isEmpty()) {
            return Parsed.reject(FailureCode.INVALID_AMOUNT, "amount: '" + amountNode.asText() + "' is not a valid "
                    + "amount (digits, no leading zeros, at most two decimal places, for example 5, 5.5 or 0.5)");
        }
        String currency = text(body, "currency");
        if (currency == null || !ISO_CODE.matcher(currency).matches()) {
            return Parsed.reject(FailureCode.INVALID_CURRENCY, "currency: is required as an ISO 4217 code in upper case");
        }
        String country = text(body, "country");
        if (body.has("country") && (country == null || !ISO_CODE.matcher(country).matches())) {
            return Parsed.reject(FailureCode.INVALID_COUNTRY, "country: must be an ISO 3166-1 alpha-3 code in upper case");
        }
        String correspondent = text(body, "correspondent");
        if (correspondent == null || correspondent.isBlank()) {
            return Parsed.reject(FailureCode.PARAMETER_INVALID, "correspondent: is required");
        }
        String party = kind == PaymentKind.DEPOSIT ? "payer" : "recipient";
        FailureCode partyCode = kind == PaymentKind.DEPOSIT ? FailureCode.INVALID_PAYER_FORMAT
                : FailureCode.INVALID_RECIPIENT_FORMAT;
        JsonNode partyNode = body.get(party);
        if (partyNode == null || !partyNode.isObject()) {
            return Parsed.reject(partyCode, party + ": is required as {\"type\": \"MSISDN\", \"address\": {\"value\": ...}}");
        }
        if (!"MSISDN".equals(text(partyNode, "type"))) {
            return Parsed.reject(partyCode, party + ".type: must be MSISDN");
        }
        String msisdn = text(partyNode.path("address"), "value");
        if (msisdn == null || msisdn.isEmpty()) {
            return Parsed.reject(partyCode, party + ".address.value: is required");
        }
        Optional<Rejection> details = checkDetails(body);
        if (details.isPresent()) {
            return new Parsed(null, details.get());
        }
        List<Payment.MetadataItem> metadata = new ArrayList<>();
        Optional<Rejection> badMetadata = readMetadata(body.get("metadata"), metadata);
        if (badMetadata.isPresent()) {
            return new Parsed(null, badMetadata.get());
        }
        return new Parsed(new PaymentRequest(merchant, kind, id.get(), PawapayJson.DIALECT, amount.get(), currency,
                country, correspondent, msisdn, text(body, "customerTimestamp"), text(body, "statementDescription"),
                text(body, "preAuthorisationCode"), metadata, Fingerprint.of(body), null, null), null);
    }

    /** Either a Payment Page session request for the core or the rejection to answer with. */
    record ParsedSession(io.kulipa.dialects.pawapay.paymentpage.StartingPaymentPageSession.Request request,
                         Rejection rejection) {
        static ParsedSession reject(FailureCode code, String message) {
            return new ParsedSession(null, new Rejection(code, message));
        }
    }

    static final int MAX_RETURN_URL_LENGTH = 2048;
    static final int MAX_REASON_LENGTH = 50;
    private static final java.util.Set<String> LANGUAGES = java.util.Set.of("EN", "FR");

    /**
     * {depositId, returnUrl, statementDescription?, amount?, msisdn?, country?, reason?, language?,
     * metadata?}: the fields of {@code POST /v1/widget/sessions}, each with its own rule.
     */
    static ParsedSession parseSession(JsonNode body, Merchant merchant) {
        Optional<String> id = clientId(body, PaymentKind.DEPOSIT);
        if (id.isEmpty()) {
            return ParsedSession.reject(FailureCode.PARAMETER_INVALID, "depositId: must be a UUID of 36 characters");
        }
        String returnUrl = text(body, "returnUrl");
        if (returnUrl == null || returnUrl.isBlank()) {
            return ParsedSession.reject(FailureCode.PARAMETER_INVALID, "returnUrl: is required, the absolute http(s) URL "
                    + "to send the customer to afterwards");
        }
        if (!absoluteWebUrl(returnUrl)) {
            return ParsedSession.reject(FailureCode.PARAMETER_INVALID, "returnUrl: must be an absolute http or https URL "
                    + "of at most " + MAX_RETURN_URL_LENGTH + " characters");
        }
        String statement = optionalText(body, "statementDescription");
        if (body.hasNonNull("statementDescription") && (statement == null || !STATEMENT.matcher(statement).matches())) {
            return ParsedSession.reject(FailureCode.PARAMETER_INVALID,
                    "statementDescription: must be 4 to 22 characters of letters, digits and spaces");
        }
        io.kulipa.money.Amount amount = null;
        if (body.hasNonNull("amount")) {
            JsonNode amountNode = body.get("amount");
            Optional<io.kulipa.money.Amount> parsed = amountNode.isTextual()
                    ? io.kulipa.money.Amount.parse(amountNode.asText()) : Optional.empty();
            if (parsed.isEmpty()) {
                return ParsedSession.reject(FailureCode.INVALID_AMOUNT, "amount: '" + amountNode.asText() + "' is not a "
                        + "valid amount (a string of digits, no leading zeros, at most two decimal places, for example "
                        + "\"15\" or \"0.5\")");
            }
            amount = parsed.get();
        }
        String msisdn = optionalText(body, "msisdn");
        if (body.hasNonNull("msisdn") && msisdn == null) {
            return ParsedSession.reject(FailureCode.INVALID_PAYER_FORMAT, "msisdn: must be a string of digits");
        }
        String country = optionalText(body, "country");
        if (body.hasNonNull("country") && (country == null || !ISO_CODE.matcher(country).matches())) {
            return ParsedSession.reject(FailureCode.INVALID_COUNTRY,
                    "country: must be an ISO 3166-1 alpha-3 code in upper case, for example ZMB");
        }
        String reason = optionalText(body, "reason");
        if (body.hasNonNull("reason") && (reason == null || reason.isEmpty() || reason.length() > MAX_REASON_LENGTH)) {
            return ParsedSession.reject(FailureCode.PARAMETER_INVALID, "reason: must be 1 to " + MAX_REASON_LENGTH
                    + " characters");
        }
        String language = optionalText(body, "language");
        if (body.hasNonNull("language") && (language == null || !LANGUAGES.contains(language))) {
            return ParsedSession.reject(FailureCode.PARAMETER_INVALID, "language: must be EN or FR");
        }
        List<Payment.MetadataItem> metadata = new ArrayList<>();
        Optional<Rejection> badMetadata = readMetadata(body.get("metadata"), metadata);
        if (badMetadata.isPresent()) {
            return new ParsedSession(null, badMetadata.get());
        }
        return new ParsedSession(new io.kulipa.dialects.pawapay.paymentpage.StartingPaymentPageSession.Request(merchant,
                id.get(), returnUrl, statement, amount, msisdn, country, reason, language, metadata,
                Fingerprint.of(body)), null);
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() || !value.isTextual() ? null : value.asText();
    }

    static boolean absoluteWebUrl(String url) {
        if (url.length() > MAX_RETURN_URL_LENGTH) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether {@code t} is an RFC 3339 date-time that {@code OffsetDateTime.parse} with
     * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} accepts (a real date, hours 0-23, minutes and
     * seconds 0-59, an offset within 18 hours), decided from the digits at their fixed places
     * after the pattern matched: the formatter's parse was 6 % of the CPU of accepting a deposit
     * under the benchmark (issue 14). {@code PawapayRequestsTimestampTest} checks both agree.
     */
    static boolean rfc3339(String t) {
        if (!RFC_3339.matcher(t).matches()) {
            return false;
        }
        try {
            java.time.LocalDate.of(digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10));
            if (digits(t, 11, 13) > 23 || digits(t, 14, 16) > 59 || digits(t, 17, 19) > 59) {
                return false;
            }
            char last = t.charAt(t.length() - 1);
            if (last == 'Z' || last == 'z') {
                return true;
            }
            int at = t.length() - 6;
            int hours = digits(t, at + 1, at + 3);
            int minutes = digits(t, at + 4, at + 6);
            int sign = t.charAt(at) == '-' ? -1 : 1;
            java.time.ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }

    private static Optional<Rejection> checkDetails(JsonNode body) {
        String timestamp = text(body, "customerTimestamp");
        if (timestamp == null) {
            return reject("customerTimestamp: is required as an RFC 3339 date-time, for example 2020-02-21T17:32:28Z");
        }
        try {
            if (!rfc3339(timestamp)) {
                throw new DateTimeParseException("not RFC 3339", timestamp, 0);
            }
        } catch (DateTimeParseException e) {
            return reject("customerTimestamp: '" + timestamp + "' is not an RFC 3339 date-time");
        }
        String statement = text(body, "statementDescription");
        if (statement == null || !STATEMENT.matcher(statement).matches()) {
            return reject("statementDescription: is required, 4 to 22 characters of letters, digits and spaces");
        }
        if (body.has("preAuthorisationCode") && !body.get("preAuthorisationCode").isNull()) {
            String code = text(body, "preAuthorisationCode");
            if (code == null || !PRE_AUTHORISATION.matcher(code).matches()) {
                return reject("preAuthorisationCode: must be 1 to 36 letters and digits");
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> readMetadata(JsonNode node, List<Payment.MetadataItem> into) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            return reject("metadata: must be an array of {fieldName, fieldValue, isPII} objects");
        }
        if (node.size() > MAX_METADATA_ITEMS) {
            return reject("metadata: at most " + MAX_METADATA_ITEMS + " items are allowed, got " + node.size());
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String name = text(item, "fieldName");
            String value = text(item, "fieldValue");
            if (name == null || name.isBlank() || value == null) {
                return reject("metadata[" + i + "]: fieldName and fieldValue are required strings");
            }
            if (name.length() > MAX_METADATA_TEXT || value.length() > MAX_METADATA_TEXT) {
                return reject("metadata[" + i + "]: fieldName and fieldValue are limited to " + MAX_METADATA_TEXT
                        + " characters");
            }
            JsonNode pii = item.get("isPII");
            if (pii != null && !pii.isNull() && !pii.isBoolean()) {
                return reject("metadata[" + i + "].isPII: must be true or false");
            }
            into.add(new Payment.MetadataItem(name, value, pii != null && pii.asBoolean()));
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(String message) {
        return Optional.of(new Rejection(FailureCode.PARAMETER_INVALID, message));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
