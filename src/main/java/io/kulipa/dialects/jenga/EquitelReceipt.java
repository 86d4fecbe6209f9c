package io.kulipa.dialects.jenga;

import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentStore;
import io.kulipa.providers.simulator.SimTransaction;
import io.kulipa.providers.simulator.SimulatedOperators;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The SMS an Equitel customer gets from sender JENGA once a push is paid, in the spec's words
 * (the same for STK and USSD): amount, merchant name, date and time in Nairobi, the customer's
 * service charge (none: the merchant bears the charge) and the merchant's reference.
 */
final class EquitelReceipt implements SimulatedOperators.Receipt {

    static final String SENDER = "JENGA";
    private static final ZoneId NAIROBI = ZoneId.of("Africa/Nairobi");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd-MM-yyyy 'at' hh:mm:ss a",
            Locale.ENGLISH);

    private final PaymentStore payments;

    EquitelReceipt(PaymentStore payments) {
        this.payments = payments;
    }

    @Override
    public Optional<Message> paid(SimTransaction t, Instant at) {
        Optional<Payment> push;
        try {
            push = payments.get(UUID.fromString(t.reference())).filter(p -> JengaJson.DIALECT.equals(p.dialect()));
        } catch (IllegalArgumentException e) {
            push = Optional.empty();
        }
        return push.map(p -> new Message(SENDER, "Equitel payment confirmed. You have successfully completed your "
                + "transaction of " + p.currency() + " " + p.amount().setScale(2, RoundingMode.HALF_UP).toPlainString()
                + " to " + JengaJson.metadata(p, JengaJson.MERCHANT_NAME, "the merchant") + " on "
                + WHEN.format(at.atZone(NAIROBI)) + ". Service charge, " + p.currency() + " 0.00. Ref. "
                + p.clientRef()));
    }
}
