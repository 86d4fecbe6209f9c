package io.kulipa.dialects.scantopay;

import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentState;
import io.kulipa.states.TransitionTable;
import java.util.Map;
import java.util.Optional;

/**
 * Scan to Pay's transaction states of a WIG card purchase, as data: the transition table (drawn
 * in docs/scantopay-states.md), the NotificationStatus word each terminal state is notified
 * with, and how the state is read from the core payment, the issuer's ISO 8583 response code and
 * the payment's reversal. {@code START_*}, {@code PROCESS_*}, {@code OFF_TO_*} and
 * {@code RECEIVED_*} are transient; {@code END_*} are terminal; SUCCESS is the only positive one,
 * and the fail-safe may still reverse it.
 */
public enum TxState {
    /** Accepted, not yet at the issuer (core ACCEPTED, ENQUEUED). */
    START_PURCHASE,
    /** The PIN prompt is on the customer's handset. */
    PROCESS_PIN_PROMPT,
    /** Sent to the bank for authorisation, no reply yet (core SUBMITTED, IN_DOUBT). */
    OFF_TO_BANK,
    /** The bank's reply is in and being recorded. */
    RECEIVED_BANK_REPLY,
    SUCCESS,
    /** Declined by the bank with a response code other than 00 ({@code bankResponse}). */
    END_BANK_NON_00,
    /** 51: not sufficient funds, or over the credit limit. */
    END_INSUFFICIENT_FUNDS_OR_OVER_CREDIT_LIMIT,
    /** 91: the issuer or switch is inoperative. */
    END_BANK_OFFLINE,
    /** The customer did not enter the PIN in time. */
    END_TIMEOUT_PURCHASE,
    /** The customer refused the payment on the handset. */
    END_CLIENT_CANCEL,
    /** A failure that is none of the above (Kulipa could not complete it). */
    END_SYSTEM_ERROR,
    /** The fail-safe reversal (or a refund) returned the money to the card. */
    END_REVERSED,
    END_REVERSAL_FAILED;

    public static final TransitionTable<TxState> TABLE = TransitionTable.of("scantopay_tx", START_PURCHASE)
            .allow(START_PURCHASE, PROCESS_PIN_PROMPT, OFF_TO_BANK, END_SYSTEM_ERROR, END_BANK_OFFLINE)
            .allow(PROCESS_PIN_PROMPT, RECEIVED_BANK_REPLY, END_TIMEOUT_PURCHASE, END_CLIENT_CANCEL)
            .allow(OFF_TO_BANK, PROCESS_PIN_PROMPT, RECEIVED_BANK_REPLY, END_BANK_OFFLINE, END_SYSTEM_ERROR)
            .allow(RECEIVED_BANK_REPLY, SUCCESS, END_BANK_NON_00, END_INSUFFICIENT_FUNDS_OR_OVER_CREDIT_LIMIT,
                    END_BANK_OFFLINE, END_SYSTEM_ERROR)
            .allow(SUCCESS, END_REVERSED, END_REVERSAL_FAILED)
            .allow(END_BANK_NON_00)
            .allow(END_INSUFFICIENT_FUNDS_OR_OVER_CREDIT_LIMIT)
            .allow(END_BANK_OFFLINE)
            .allow(END_TIMEOUT_PURCHASE)
            .allow(END_CLIENT_CANCEL)
            .allow(END_SYSTEM_ERROR)
            .allow(END_REVERSED)
            .allow(END_REVERSAL_FAILED)
            .build();

    /** The NotificationStatus word of each state a notification can carry. */
    public static final Map<TxState, String> NOTIFICATION_STATUS = Map.ofEntries(
            Map.entry(SUCCESS, "SUCCESS"),
            Map.entry(END_BANK_NON_00, "BANK_REJECTED"),
            Map.entry(END_INSUFFICIENT_FUNDS_OR_OVER_CREDIT_LIMIT, "INSUFFICIENT_FUNDS"),
            Map.entry(END_BANK_OFFLINE, "BANK_OFFLINE"),
            Map.entry(END_TIMEOUT_PURCHASE, "TIMEOUT_PURCHASE"),
            Map.entry(END_CLIENT_CANCEL, "CLIENT_CANCEL"),
            Map.entry(END_SYSTEM_ERROR, "SYSTEM_ERROR"),
            Map.entry(END_REVERSED, "REVERSED"),
            Map.entry(END_REVERSAL_FAILED, "REVERSAL_FAILED"));

    public boolean terminal() {
        return this == SUCCESS || name().startsWith("END_");
    }

    public String notificationStatus() {
        return NOTIFICATION_STATUS.getOrDefault(this, "PENDING");
    }

    /**
     * The state of a card purchase.
     *
     * @param awaitingPin   whether the issuer's PIN prompt is open
     * @param bankResponse  the issuer's ISO 8583 response code, when it answered one
     * @param reversal      the reversal (or refund) of the purchase, if any
     */
    public static TxState of(Payment p, boolean awaitingPin, String bankResponse, Optional<Payment> reversal) {
        return switch (p.state()) {
            case ACCEPTED, ENQUEUED -> START_PURCHASE;
            case SUBMITTED, IN_DOUBT -> awaitingPin ? PROCESS_PIN_PROMPT : OFF_TO_BANK;
            case COMPLETED -> reversal.map(r -> r.state() == PaymentState.COMPLETED ? END_REVERSED
                    : r.state() == PaymentState.FAILED ? END_REVERSAL_FAILED : SUCCESS).orElse(SUCCESS);
            case FAILED -> failed(p.failureCode(), bankResponse);
            default -> END_SYSTEM_ERROR;
        };
    }

    private static TxState failed(FailureCode code, String bankResponse) {
        if (code == FailureCode.APPROVAL_EXPIRED) {
            return END_TIMEOUT_PURCHASE;
        }
        if (bankResponse == null) {
            return code == FailureCode.PAYMENT_NOT_APPROVED ? END_CLIENT_CANCEL
                    : code == FailureCode.OPERATOR_UNAVAILABLE ? END_BANK_OFFLINE : END_SYSTEM_ERROR;
        }
        return switch (bankResponse) {
            case "51" -> END_INSUFFICIENT_FUNDS_OR_OVER_CREDIT_LIMIT;
            case "91" -> END_BANK_OFFLINE;
            default -> END_BANK_NON_00;
        };
    }
}
