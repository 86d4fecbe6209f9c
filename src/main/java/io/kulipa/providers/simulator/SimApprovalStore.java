package io.kulipa.providers.simulator;

import io.kulipa.providers.CustomerApprovals;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Persistence of the handsets' approval requests and KYC profiles; implemented in {@code store}. */
public interface SimApprovalStore {

    /** Records the request unless its reference is known. */
    void insertIfAbsent(SimApproval approval);

    Optional<SimApproval> find(String reference);

    /** Requests on a handset that still wait for the customer, oldest first. */
    List<SimApproval> open(String msisdn, int limit);

    /** The profile the sandbox user set for a number, if any. */
    Optional<CustomerApprovals.Profile> profile(String msisdn);

    void saveProfile(CustomerApprovals.Profile profile);

    <R> R inTransaction(Function<Books, R> work);

    interface Books {
        /** Locks up to {@code limit} waiting requests whose time has come, skipping locked ones. */
        List<SimApproval> lockDue(int limit);

        Optional<SimApproval> lock(String reference);

        void finish(String reference, CustomerApprovals.Status status);

        void countPinAttempt(String reference);
    }
}
