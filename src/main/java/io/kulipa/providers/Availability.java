package io.kulipa.providers;

/** Whether a correspondent takes new work for an operation right now. */
public interface Availability {

    enum Status {
        /** Payments are processed as usual. */
        OPERATIONAL,
        /** Payments are accepted but wait (payouts are enqueued) until the operator recovers. */
        DELAYED,
        /** New payments are refused. */
        CLOSED
    }

    Status status(String correspondent, Operation operation);

    /**
     * Tells the monitor how a submit to an operator went: {@code technicalFailure} is true when
     * no usable answer came back (time-out, outage), never for a customer's failure.
     */
    default void observe(String correspondent, Operation operation, boolean technicalFailure) {
    }

    Availability ALWAYS_OPERATIONAL = (correspondent, operation) -> Status.OPERATIONAL;
}
