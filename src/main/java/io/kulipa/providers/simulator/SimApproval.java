package io.kulipa.providers.simulator;

import io.kulipa.providers.CustomerApprovals;
import java.time.Instant;

/**
 * An approval request on a virtual handset that moves no money: a pre-approval or a consent.
 *
 * @param planned    what the operator does by itself at {@code dueAt}: {@link SimTransaction#APPROVE}
 *                   (the simulated customer says yes) or {@link SimTransaction#EXPIRE} (manual
 *                   approval: nobody answered in the approval window)
 * @param validUntil for a pre-approval, when it stops covering payments; null for a consent
 */
public record SimApproval(String reference, String msisdn, CustomerApprovals.Kind kind, String description,
                          CustomerApprovals.Status status, String planned, Instant dueAt, int pinAttempts,
                          Instant validUntil, Instant created, Instant finished) {

    SimApproval finished(CustomerApprovals.Status to, Instant at) {
        return new SimApproval(reference, msisdn, kind, description, to, planned, dueAt, pinAttempts, validUntil,
                created, at);
    }
}
