package io.kulipa.dialects.momo.preapprovals;

import io.kulipa.providers.CustomerApprovals;
import java.util.Optional;
import java.util.UUID;

/**
 * A merchant's pre-approval as it stands. A PENDING one is checked with the operator first, so
 * that a decision whose notice was lost (a crash, a restart) still shows.
 */
public final class FindingPreApproval {

    private final PreApprovalStore store;
    private final CustomerApprovals approvals;
    private final RecordingPreApprovalDecision recording;

    public FindingPreApproval(PreApprovalStore store, CustomerApprovals approvals,
                              RecordingPreApprovalDecision recording) {
        this.store = store;
        this.approvals = approvals;
        this.recording = recording;
    }

    public Optional<PreApproval> find(UUID merchantId, UUID id) {
        Optional<PreApproval> found = store.find(id).filter(p -> p.merchantId().equals(merchantId));
        if (found.isEmpty() || found.get().status() != PreApproval.Status.PENDING) {
            return found;
        }
        approvals.decision(id.toString()).filter(d -> d.status().isFinal()).ifPresent(recording::record);
        return store.find(id);
    }
}
