package io.kulipa.dialects.momo.preapprovals;

import io.kulipa.providers.CustomerApprovals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Asks a customer to approve a merchant's payments in advance: records the pre-approval (so that
 * it is durable before the merchant hears "accepted") and pushes the approval request to the
 * customer's handset.
 */
public final class RequestingPreApproval {

    /** The longest a pre-approval may last; MoMo's own are for recurring payments within a year. */
    public static final Duration VALIDITY_MAX = Duration.ofDays(366);

    private final PreApprovalStore store;
    private final CustomerApprovals approvals;
    private final Clock clock;

    /** What the merchant asked for. */
    public record NewPreApproval(UUID id, UUID merchantId, String merchantName, UUID apiUserId, String correspondent,
                                 String msisdn, String currency, String payerMessage, Duration validity,
                                 String callbackUrl, String callbackMethod) {
    }

    public enum Result { ACCEPTED, DUPLICATE }

    public RequestingPreApproval(PreApprovalStore store, CustomerApprovals approvals, Clock clock) {
        this.store = store;
        this.approvals = approvals;
        this.clock = clock;
    }

    public Result request(NewPreApproval n) {
        if (n.validity().isNegative() || n.validity().isZero() || n.validity().compareTo(VALIDITY_MAX) > 0) {
            throw new IllegalArgumentException("validity out of range: " + n.validity());
        }
        Instant now = clock.instant();
        PreApproval p = new PreApproval(n.id(), n.merchantId(), n.apiUserId(), n.correspondent(), n.msisdn(),
                n.currency(), n.payerMessage(), n.validity().toSeconds(), n.callbackUrl(), n.callbackMethod(),
                PreApproval.Status.PENDING, null, now.plus(n.validity()), now, null);
        if (!store.insertIfAbsent(p)) {
            return Result.DUPLICATE;
        }
        String until = DateTimeFormatter.ISO_LOCAL_DATE.format(p.expiresAt().atZone(java.time.ZoneOffset.UTC));
        String message = n.payerMessage() == null || n.payerMessage().isBlank() ? "" : " (" + n.payerMessage() + ")";
        // The handset's request carries the same id: asking again after a crash asks once.
        approvals.request(new CustomerApprovals.Request(p.id().toString(), p.msisdn(),
                CustomerApprovals.Kind.PREAPPROVAL, "Allow " + n.merchantName() + " to take payments in "
                + p.currency() + " from your wallet without asking, until " + until + message + "?",
                p.expiresAt()));
        return Result.ACCEPTED;
    }
}
