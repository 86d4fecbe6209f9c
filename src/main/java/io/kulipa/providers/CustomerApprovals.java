package io.kulipa.providers;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Approvals asked of a customer that move no money: a pre-approval of later payments and a
 * consent to share the customer's identity (KYC). The operator pushes them to the customer's
 * handset and tells the listener when the customer (or the clock) has decided.
 */
public interface CustomerApprovals {

    enum Kind { PREAPPROVAL, CONSENT }

    enum Status {
        AWAITING_APPROVAL, APPROVED, REJECTED, EXPIRED;

        public boolean isFinal() {
            return this != AWAITING_APPROVAL;
        }
    }

    /**
     * @param reference  the core's id of the request; asking twice with it asks once
     * @param validUntil for a pre-approval, when it stops covering payments; null otherwise
     */
    record Request(String reference, String msisdn, Kind kind, String description, Instant validUntil) {
    }

    /** Where an approval stands, as the operator knows it. */
    record Decision(String reference, Kind kind, Status status) {
    }

    /** A customer's identity as the operator registered it (KYC). */
    record Profile(String msisdn, String givenName, String familyName, String gender, LocalDate birthDate,
                   String locale) {
        public String name() {
            return givenName + " " + familyName;
        }
    }

    interface Listener {
        void onDecision(Decision decision);
    }

    /** Pushes the request to the handset; idempotent by reference. */
    void request(Request request);

    Optional<Decision> decision(String reference);

    /** How long a customer has to answer before a request expires. */
    java.time.Duration approvalWindow();

    Profile profile(String msisdn);

    void listen(Listener listener);
}
