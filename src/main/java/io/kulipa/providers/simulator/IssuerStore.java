package io.kulipa.providers.simulator;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Persistence of the simulated issuers' books (sim_card_account, sim_card_authorisation); in {@code store}. */
public interface IssuerStore {

    /** Opens the account unless one exists with its lookup hash; answers whether it opened one. */
    boolean openIfAbsent(SimCardAccount account);

    Optional<SimCardAccount> account(String lookupHash);

    /** Books the authorisation unless its reference is known; the provider reference of the booked one. */
    String insertIfAbsent(SimCardAuthorisation authorisation);

    Optional<SimCardAuthorisation> find(String reference);

    /** Authorisations waiting for the customer's PIN on this handset, newest first. */
    List<SimCardAuthorisation> awaiting(String msisdn, int limit);

    <R> R inTransaction(Function<Books, R> work);

    /** Marks a decided authorisation whose callback was not sent on purpose (the lost-callbacks knob). */
    void markCallbackLost(String reference);

    /**
     * The callbacks that died with a process: an authorisation decided here, its callback not lost
     * on purpose, whose payment still waits for its later status check. That check is made due
     * now, as {@link SimulatorStore#checkNowWhereCallbacksDied()} does for the operators. How many.
     */
    int checkNowWhereCallbacksDied();

    /** Records a cardholder verification (a PIN checked, a 3-D Secure result taken) as its response code. */
    void addVerification(String id, String lookupHash, String method, String responseCode, java.time.Instant at);

    /** The response code of a verification of this card, if there is one with this id. */
    Optional<String> verification(String id, String lookupHash);

    interface Books {
        List<SimCardAuthorisation> lockDue(int limit);

        Optional<SimCardAuthorisation> lock(String reference);

        Optional<SimCardAccount> lockAccount(String lookupHash);

        void updateAccount(SimCardAccount account);

        void finish(String reference, SimCardAuthorisation.Status status, String responseCode, String failureCode);
    }
}
