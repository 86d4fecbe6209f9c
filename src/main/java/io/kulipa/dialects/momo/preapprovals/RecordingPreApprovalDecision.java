package io.kulipa.dialects.momo.preapprovals;

import io.kulipa.payments.FailureCode;
import io.kulipa.providers.CustomerApprovals;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the customer's answer to a pre-approval. Only the caller that moves the pre-approval
 * out of PENDING changes it, and that same transaction adds its callback (when the merchant gave
 * a callback URL) to the outbox, so a decision heard twice (from the operator and from a status
 * look-up) calls back once, and a crash right after the commit loses no callback.
 */
public final class RecordingPreApprovalDecision {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingPreApprovalDecision.class);

    private final PreApprovalStore store;
    private final Clock clock;

    public RecordingPreApprovalDecision(PreApprovalStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @return the pre-approval after the decision, or empty when it was already final or is unknown */
    public Optional<PreApproval> record(CustomerApprovals.Decision decision) {
        if (decision.kind() != CustomerApprovals.Kind.PREAPPROVAL || !decision.status().isFinal()) {
            return Optional.empty();
        }
        UUID id;
        try {
            id = UUID.fromString(decision.reference());
        } catch (IllegalArgumentException e) {
            LOG.warn("a pre-approval decision names no pre-approval: {}", decision.reference());
            return Optional.empty();
        }
        return switch (decision.status()) {
            case APPROVED -> store.finish(id, PreApproval.Status.SUCCESSFUL, null, clock.instant());
            case REJECTED -> store.finish(id, PreApproval.Status.FAILED, FailureCode.PAYMENT_NOT_APPROVED.name(),
                    clock.instant());
            case EXPIRED -> store.finish(id, PreApproval.Status.FAILED, FailureCode.APPROVAL_EXPIRED.name(), clock.instant());
            case AWAITING_APPROVAL -> Optional.empty();
        };
    }
}
