package io.kulipa.ussd;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One USSD session between a handset and an application.
 *
 * @param inputs what the customer has entered so far (the dialled extra groups first); empty
 *               once the session is closed, since an application may have asked for a secret
 * @param steps  how many times the application has been called; each step claims the next number
 * @param screen the last text the application sent, without its CON/END prefix
 * @param error  why the session failed, in words for the developer, or null
 */
public record UssdSession(String id, UUID applicationId, String serviceCode, String msisdn, String networkCode,
                          State state, List<String> inputs, int steps, String screen, String error,
                          Instant created, Instant updated) {

    public enum State {
        /** The application answered CON and waits for the customer's input. */
        OPEN,
        /** The application answered END. */
        ENDED,
        /** The customer did not answer within the session time-out. */
        TIMED_OUT,
        /** The application was unreachable, answered an error or garbage, or broke a bound. */
        FAILED,
        /** The customer pressed cancel. */
        HUNG_UP
    }

    public UssdSession {
        inputs = List.copyOf(inputs);
    }

    /** OPEN and waiting longer than the time-out reads as TIMED_OUT, whether or not that is written yet. */
    public State stateAt(Instant now, Duration timeout) {
        return state == State.OPEN && now.isAfter(updated.plus(timeout)) ? State.TIMED_OUT : state;
    }

    /** The {@code text} field of the protocol: every input so far joined by {@code *}. */
    public String text() {
        return String.join("*", inputs);
    }
}
