package io.kulipa.dialects.momo.consent;

import io.kulipa.payments.Secrets;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.providers.CustomerApprovals;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * MoMo's {@code bc-authorize}: a merchant asks a customer to let it read their identity. The
 * consent is recorded, the request is pushed to the customer's handset, and the merchant gets
 * an auth_req_id (shown once) to poll the token endpoint with.
 */
public final class RequestingConsent {

    /** How often the merchant may poll the token endpoint, as OpenID CIBA's {@code interval}. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    private static final int AUTH_REQ_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConsentStore store;
    private final CustomerApprovals approvals;
    private final Clock clock;

    /** What the merchant asked for; {@code callbackUrl} may be null. */
    public record NewConsent(UUID merchantId, String merchantName, UUID apiUserId, MomoProduct product, String msisdn,
                             String scope, String accessType, String callbackUrl) {
    }

    /** The auth_req_id in clear, to hand over once. */
    public record Requested(String authReqId, Duration interval, Duration expiresIn) {
        @Override
        public String toString() {
            return "Requested[expiresIn=" + expiresIn + "]";
        }
    }

    public RequestingConsent(ConsentStore store, CustomerApprovals approvals, Clock clock) {
        this.store = store;
        this.approvals = approvals;
        this.clock = clock;
    }

    public Requested request(NewConsent n) {
        Instant now = clock.instant();
        Duration window = approvals.approvalWindow();
        byte[] bytes = new byte[AUTH_REQ_BYTES];
        RANDOM.nextBytes(bytes);
        String authReqId = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Consent c = new Consent(UUID.randomUUID(), n.merchantId(), n.apiUserId(), n.product(), n.msisdn(), n.scope(),
                n.accessType(), n.callbackUrl(), Consent.Status.PENDING, now.plus(window), now);
        store.insert(c, Secrets.digest(authReqId));
        approvals.request(new CustomerApprovals.Request(c.id().toString(), c.msisdn(), CustomerApprovals.Kind.CONSENT,
                "Allow " + n.merchantName() + " to see your " + (n.scope().contains("profile") ? "name, gender, "
                + "date of birth and language" : "identity") + "?", null));
        return new Requested(authReqId, POLL_INTERVAL, window);
    }
}
