package io.kulipa.dialects.momo.consent;

import io.kulipa.providers.CustomerApprovals;
import java.util.UUID;

/** Records the customer's answer to a consent request, once. */
public final class RecordingConsentDecision {

    private final ConsentStore store;

    public RecordingConsentDecision(ConsentStore store) {
        this.store = store;
    }

    public void record(CustomerApprovals.Decision decision) {
        if (decision.kind() != CustomerApprovals.Kind.CONSENT || !decision.status().isFinal()) {
            return;
        }
        UUID id;
        try {
            id = UUID.fromString(decision.reference());
        } catch (IllegalArgumentException e) {
            return;
        }
        Consent.Status to = switch (decision.status()) {
            case APPROVED -> Consent.Status.APPROVED;
            case REJECTED -> Consent.Status.REJECTED;
            default -> Consent.Status.EXPIRED;
        };
        store.move(id, Consent.Status.PENDING, to);
    }
}
