package io.kulipa.dialects.jenga;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kulipa.web.JsonBody;
import io.kulipa.dialects.jenga.pushes.Push;
import io.kulipa.money.Amount;
import io.kulipa.web.Fingerprint;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the push request of the spec, every field against its rule, each refusal naming the
 * field. The rules are the spec's except the reference's length: the spec says 6 to 12
 * characters but its own example has 16, so Kulipa accepts 6 to {@link #REF_MAX_CHARS}.
 */
final class JengaRequests {

    /** A push body is a few hundred bytes; anything past this is not one. */
    static final int REF_MIN_CHARS = 6;
    static final int REF_MAX_CHARS = 20;
    static final int NAME_MAX_CHARS = 100;
    static final int ACCOUNT_MAX_CHARS = 64;
    static final int URL_MAX_CHARS = 2_048;
    static final int TELCO_MAX_CHARS = 32;
    /** Kenya: 254 and nine digits, as the spec's example 254764555291. */
    private static final Pattern KENYAN_MSISDN = Pattern.compile("^254[0-9]{9}$");
    private static final Pattern ALPHANUMERIC = Pattern.compile("^[A-Za-z0-9]+$");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    private JengaRequests() {
    }

    /** A field's rule broken, in the words of the answer. */
    record Invalid(String field, String rule) {
    }

    /** The parsed push, or the first field that breaks its rule. */
    record Parsed(Push push, Invalid invalid) {
        static Parsed invalid(String field, String rule) {
            return new Parsed(null, new Invalid(field, rule));
        }
    }

    /**
     * The body as a JSON object, read by the gateway's one strict reader (UTF-8, bounded, no NUL
     * or lone surrogate, numbers kept as written), or empty with the reason, which names the field,
     * handed to {@code refused}.
     */
    static Optional<JsonNode> object(Context ctx, java.util.function.Consumer<String> refused) {
        JsonBody.Read read = JsonBody.read(ctx, false);
        if (read.refused()) {
            refused.accept(read.problem());
            return Optional.empty();
        }
        if (read.absent() || !read.node().isObject()) {
            refused.accept("body: must be a JSON object");
            return Optional.empty();
        }
        return Optional.of(read.node());
    }

    /** A field as the merchant wrote it (numbers as their text), or "" when absent: what the signature covers. */
    static String raw(JsonNode body, String object, String field) {
        JsonNode n = body.path(object).path(field);
        return n.isTextual() || n.isNumber() ? n.asText() : "";
    }

    /** The text the Signature header must sign for this body. */
    static String signedText(JsonNode body) {
        return Push.signedText(raw(body, "merchant", "accountNumber"), raw(body, "payment", "ref"),
                raw(body, "payment", "mobileNumber"), raw(body, "payment", "telco"), raw(body, "payment", "amount"),
                raw(body, "payment", "currency"));
    }

    static Parsed parse(JsonNode body) {
        if (!body.path("merchant").isObject()) {
            return Parsed.invalid("merchant", "is required as an object");
        }
        if (!body.path("payment").isObject()) {
            return Parsed.invalid("payment", "is required as an object");
        }
        String country = text(body, "merchant", "countryCode");
        if (country == null || !country.equals("KE")) {
            return Parsed.invalid("merchant.countryCode", "must be KE (Equitel pushes are served in Kenya)");
        }
        String account = text(body, "merchant", "accountNumber");
        if (account == null || account.length() > ACCOUNT_MAX_CHARS) {
            return Parsed.invalid("merchant.accountNumber", "is required, up to " + ACCOUNT_MAX_CHARS + " characters");
        }
        String name = text(body, "merchant", "name");
        if (name == null || name.isBlank() || name.length() > NAME_MAX_CHARS) {
            return Parsed.invalid("merchant.name", "is required, 1 to " + NAME_MAX_CHARS + " characters");
        }
        return parsePayment(body, country, account, name.trim());
    }

    private static Parsed parsePayment(JsonNode body, String country, String account, String name) {
        String ref = text(body, "payment", "ref");
        if (ref == null || ref.length() < REF_MIN_CHARS || ref.length() > REF_MAX_CHARS
                || !ALPHANUMERIC.matcher(ref).matches()) {
            return Parsed.invalid("payment.ref", "must be " + REF_MIN_CHARS + " to " + REF_MAX_CHARS
                    + " letters or digits only");
        }
        String mobile = text(body, "payment", "mobileNumber");
        if (mobile == null || !KENYAN_MSISDN.matcher(mobile).matches()) {
            return Parsed.invalid("payment.mobileNumber", "must be the payer's number with the country code "
                    + "and no '+', such as 254764555291");
        }
        String telco = text(body, "payment", "telco");
        if (telco == null || telco.isBlank() || telco.length() > TELCO_MAX_CHARS) {
            return Parsed.invalid("payment.telco", "is required, such as Equitel");
        }
        String amountText = raw(body, "payment", "amount");
        Optional<Amount> amount = Amount.parse(amountText).filter(a -> !a.isZero());
        if (amount.isEmpty()) {
            return Parsed.invalid("payment.amount", "must be a positive amount with up to 2 decimal places, such as \"5.00\"");
        }
        // The spec's field table leaves the currency out while its example and the signature have
        // it: a client that follows the table sends none, and Equitel only knows shillings.
        String currency = body.path("payment").has("currency") ? text(body, "payment", "currency") : "KES";
        if (currency == null || !currency.equals("KES")) {
            return Parsed.invalid("payment.currency", "must be KES");
        }
        String date = text(body, "payment", "date");
        if (date == null || !isDate(date)) {
            return Parsed.invalid("payment.date", "must be a date in the format YYYY-MM-DD");
        }
        String url = text(body, "payment", "callBackUrl");
        if (url == null || url.isBlank() || url.length() > URL_MAX_CHARS) {
            return Parsed.invalid("payment.callBackUrl", "is required, an http or https URL of up to "
                    + URL_MAX_CHARS + " characters");
        }
        String pushType = text(body, "payment", "pushType");
        Optional<Push.PushType> type = pushType(pushType);
        if (type.isEmpty()) {
            return Parsed.invalid("payment.pushType", "must be STK or USSD");
        }
        return new Parsed(new Push(country, account, name, ref, mobile, telco, amount.get(), currency, date, url,
                type.get(), Fingerprint.of(body)), null);
    }

    private static Optional<Push.PushType> pushType(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Push.PushType.valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isDate(String text) {
        try {
            LocalDate.parse(text, DATE);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** A string field, or null when absent or not a string. */
    private static String text(JsonNode body, String object, String field) {
        JsonNode n = body.path(object).path(field);
        return n.isTextual() ? n.asText() : null;
    }
}
