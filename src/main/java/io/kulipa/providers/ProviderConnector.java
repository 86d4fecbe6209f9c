package io.kulipa.providers;

/**
 * The narrow, stateless interface to an operator. The core owns persistence; a connector
 * only talks to its operator. Outcomes arrive later through {@link OutcomeListener}, and
 * {@link #query} is the fallback that is always right.
 */
public interface ProviderConnector {

    /** Sends a payment to the operator. Must be idempotent by {@link ProviderRequest#reference()}. */
    SubmitResult submit(ProviderRequest request);

    /**
     * Asks the operator what became of a payment sent with {@link #submit}; the request is the
     * same one, so a connector can find the payment however its operator needs.
     */
    ProviderStatus query(ProviderRequest request);

    /**
     * Sends a free-text message to one of the operator's customers by SMS (MoMo's delivery
     * notification after a successful payment). Answers false when the operator offers no such
     * channel, which is the default.
     */
    default boolean notifyCustomer(String correspondent, String msisdn, String text) {
        return false;
    }

    /** Receives final outcomes the operator pushes (its callbacks). */
    interface OutcomeListener {
        void onOutcome(String reference, ProviderStatus.Final outcome);
    }
}
