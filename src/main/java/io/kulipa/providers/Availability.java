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

    Availability ALWAYS_OPERATIONAL = (correspondent, operation) -> Status.OPERATIONAL;
}
