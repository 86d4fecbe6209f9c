package io.kulipa.dialects.momo.preapprovals;

import io.kulipa.payments.FailureCode;
import io.kulipa.providers.CustomerApprovals;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the customer's answer to a pre-approval and, when the merchant gave a callback URL,
 * tells it once. Only the caller that moves the pre-approval out of PENDING sends the callback,
 * so a decision heard twice (from the operator and from a status look-up) calls back once.
 */
public final class RecordingPreApprovalDecision {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingPreApprovalDecision.class);
    private static final int CALLBACKS_IN_FLIGHT_MAX = 32;

    private final PreApprovalStore store;
    private final PreApprovalCallbacks callbacks;
    private final Clock clock;
    private final Semaphore permits = new Semaphore(CALLBACKS_IN_FLIGHT_MAX);

    public RecordingPreApprovalDecision(PreApprovalStore store, PreApprovalCallbacks callbacks, Clock clock) {
        this.store = store;
        this.callbacks = callbacks;
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
        Optional<PreApproval> finished = switch (decision.status()) {
            case APPROVED -> store.finish(id, PreApproval.Status.SUCCESSFUL, null, clock.instant());
            case REJECTED -> store.finish(id, PreApproval.Status.FAILED, FailureCode.PAYMENT_NOT_APPROVED.name(),
                    clock.instant());
            case EXPIRED -> store.finish(id, PreApproval.Status.FAILED, FailureCode.APPROVAL_EXPIRED.name(), clock.instant());
            case AWAITING_APPROVAL -> Optional.empty();
        };
        finished.filter(p -> p.callbackUrl() != null).ifPresent(this::callBack);
        return finished;
    }

    /** Off the caller's thread: the operator's loop and the handset must not wait for a merchant's server. */
    private void callBack(PreApproval p) {
        Thread.ofVirtual().name("preapproval-callback").start(() -> {
            permits.acquireUninterruptibly();
            try {
                callbacks.send(p);
            } catch (RuntimeException e) {
                LOG.warn("pre-approval {} callback failed: {}", p.id(), e.toString());
            } finally {
                permits.release();
            }
        });
    }
}
