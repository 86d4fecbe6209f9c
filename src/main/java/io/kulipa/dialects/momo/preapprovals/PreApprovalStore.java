package io.kulipa.dialects.momo.preapprovals;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Persistence of pre-approvals; implemented in {@code store}. */
public interface PreApprovalStore {

    /** @return false, writing nothing, when a pre-approval with that id exists already; else it and its CREATED event */
    boolean insertIfAbsent(PreApproval preApproval);

    Optional<PreApproval> find(UUID id);

    /**
     * Moves a PENDING pre-approval to its final status, with its history row and, when it has a
     * callback URL, its callback in the outbox, all in one transaction. A status the table does
     * not allow after PENDING is refused with {@code IllegalArgumentException}.
     *
     * @return the pre-approval as it now is, or empty when it was not PENDING (someone else finished it)
     */
    Optional<PreApproval> finish(UUID id, PreApproval.Status status, String reason, Instant at);

    /** The newest pre-approval that covers payments of that merchant to that payer at {@code now}. */
    Optional<UUID> covering(UUID merchantId, String correspondent, String msisdn, String currency, Instant now);
}
