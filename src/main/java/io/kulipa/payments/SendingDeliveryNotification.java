package io.kulipa.payments;

import io.kulipa.providers.Connectors;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a merchant's extra message (a delivery reference, a ticket number...) to the customer of
 * a successful payment, through the payment's operator. Only within a window after the payment
 * completed, as MoMo's partner gateway allows, and never for a payment that did not succeed.
 */
public final class SendingDeliveryNotification {

    private static final Logger LOG = LoggerFactory.getLogger(SendingDeliveryNotification.class);
    /** How long after completion a payment may still be followed by a notification. */
    public static final Duration NOTIFICATION_WINDOW = Duration.ofHours(24);
    /** One SMS worth of text. */
    public static final int MESSAGE_MAX_CHARS = 160;

    private final Connectors connectors;
    private final Clock clock;

    public SendingDeliveryNotification(Connectors connectors, Clock clock) {
        this.connectors = connectors;
        this.clock = clock;
    }

    /** What became of a notification. */
    public enum Result { SENT, NOT_SUCCESSFUL, WINDOW_CLOSED, TOO_LONG, EMPTY, OPERATOR_UNAVAILABLE }

    public Result send(Payment payment, String message) {
        if (message == null || message.isBlank()) {
            return Result.EMPTY;
        }
        if (message.length() > MESSAGE_MAX_CHARS) {
            return Result.TOO_LONG;
        }
        if (payment.state() != PaymentState.COMPLETED) {
            return Result.NOT_SUCCESSFUL;
        }
        if (payment.updated().plus(NOTIFICATION_WINDOW).isBefore(clock.instant())) {
            return Result.WINDOW_CLOSED;
        }
        boolean sent = connectors.forCorrespondent(payment.correspondent())
                .notifyCustomer(payment.correspondent(), payment.msisdn(), message.strip());
        // The message is the merchant's free text about its customer: it is not logged.
        LOG.info("delivery notification for payment {}: {}", payment.id(), sent ? "sent" : "operator unavailable");
        return sent ? Result.SENT : Result.OPERATOR_UNAVAILABLE;
    }
}
