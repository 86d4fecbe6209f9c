package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kulipa.money.Amount;
import io.kulipa.dialects.momo.vouchers.CreatingVoucher;
import io.kulipa.dialects.momo.vouchers.Party;
import io.kulipa.dialects.momo.vouchers.VoucherSecrets;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads MoMo's create voucher body: {@code {externalId, receiver {msisdn, firstName, surname,
 * identificationType, identification}, sender {...} (cash voucher only), money {amount,
 * currency}, secret, message}}. A flat {@code amount} and {@code currency} are read too, as in
 * MoMo's v1_0 bodies. Bad input gets MoMo's error naming the field.
 */
final class MomoVoucherRequests {

    static final int NAME_MAX_CHARS = 100;
    static final int MESSAGE_MAX_CHARS = 160;
    static final int EXTERNAL_ID_MAX_CHARS = 64;
    static final int SECRET_MIN_CHARS = 4;

    /** The parsed request, or the error to answer. */
    record Parsed(CreatingVoucher.Request request, MomoRequests.MomoError error) {
        static Parsed error(int status, String code, String message) {
            return new Parsed(null, new MomoRequests.MomoError(status, code, message));
        }
    }

    private MomoVoucherRequests() {
    }

    static Parsed parse(JsonNode body, UUID merchantId, String referenceId, MomoEnvironments.Environment env,
                        String callbackUrl) {
        if (body == null || !body.isObject()) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "The body must be a JSON object such as {\"receiver\": "
                    + "{\"msisdn\": \"46733123450\"}, \"money\": {\"amount\": \"100\", \"currency\": \"EUR\"}}.");
        }
        JsonNode money = body.path("money").isObject() ? body.get("money") : body;
        String amountText = MomoRequests.amountText(money.get("amount"));
        Optional<Amount> amount = amountText == null ? Optional.empty() : Amount.parse(amountText);
        if (amount.isEmpty() || amount.get().isZero()) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "money.amount: is required as a string of digits above "
                    + "zero with at most two decimal places, for example \"100\" or \"5.50\"");
        }
        String currency = text(money.get("currency"));
        if (currency == null || !currency.equals(env.currency())) {
            return Parsed.error(400, "INVALID_CURRENCY", "money.currency: the target environment " + env.name()
                    + " uses " + env.currency() + (currency == null ? "" : ", not '" + currency + "'"));
        }
        Party receiver = party(body.get("receiver"));
        if (receiver == null || !env.country().accepts(receiver.msisdn())) {
            return Parsed.error(400, "PAYEE_NOT_FOUND", "receiver.msisdn: is required, a phone number of "
                    + env.name() + " in international form without '+'");
        }
        JsonNode senderNode = body.get("sender");
        Party sender = senderNode == null || senderNode.isNull() ? null : party(senderNode);
        if (senderNode != null && !senderNode.isNull() && (sender == null || !env.country().accepts(sender.msisdn()))) {
            return Parsed.error(400, "PAYER_NOT_FOUND", "sender.msisdn: a cash voucher's sender needs a phone number "
                    + "of " + env.name() + " in international form without '+', to receive the cancel OTP");
        }
        String secret = text(body.get("secret"));
        if (secret != null && (secret.length() < SECRET_MIN_CHARS || secret.length() > VoucherSecrets.MAX_INPUT_CHARS)) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "secret: when given, " + SECRET_MIN_CHARS + " to "
                    + VoucherSecrets.MAX_INPUT_CHARS + " characters; leave it out to have one generated");
        }
        String externalId = text(body.get("externalId"));
        String message = text(body.get("message"));
        if (tooLong(externalId, EXTERNAL_ID_MAX_CHARS) || tooLong(message, MESSAGE_MAX_CHARS)) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "externalId (at most " + EXTERNAL_ID_MAX_CHARS
                    + " characters) or message (at most " + MESSAGE_MAX_CHARS + ") is too long");
        }
        return new Parsed(new CreatingVoucher.Request(merchantId, referenceId, amount.get().value(), currency,
                env.country().code(), env.correspondent().id(), externalId, message, receiver, sender, callbackUrl,
                secret), null);
    }

    /** A party with a msisdn, or null when there is none or a name field is too long. */
    private static Party party(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        String msisdn = text(node.get("msisdn"));
        Party p = new Party(msisdn, text(node.get("firstName")), text(node.get("surname")),
                text(node.get("identificationType")), text(node.get("identification")));
        boolean tooLong = tooLong(p.firstName(), NAME_MAX_CHARS) || tooLong(p.surname(), NAME_MAX_CHARS)
                || tooLong(p.identificationType(), NAME_MAX_CHARS) || tooLong(p.identification(), NAME_MAX_CHARS);
        return msisdn == null || tooLong ? null : p;
    }

    private static boolean tooLong(String s, int max) {
        return s != null && s.length() > max;
    }

    /** A string field without surrounding white space; a JSON number is read as its wire text. */
    static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String s = node.isNumber() || node.isTextual() ? node.asText().trim() : null;
        return s == null || s.isEmpty() ? null : s;
    }
}
