package io.kulipa.dialects.momo.consent;

import io.kulipa.payments.Secrets;
import io.kulipa.dialects.momo.credentials.AuthenticatingApiUser;
import io.kulipa.dialects.momo.credentials.CredentialRefusal;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.providers.CustomerApprovals;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * MoMo's {@code POST /{product}/oauth2/token/} with the CIBA grant: the API user that asked for
 * a consent polls with its auth_req_id until the customer has answered, then gets, once, a
 * short-lived access token for the customer's identity and a refresh token.
 */
public final class RedeemingConsent {

    /** Identity tokens are short-lived: they open one customer's profile. */
    public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(5);
    public static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofHours(24);
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuthenticatingApiUser users;
    private final ConsentStore store;
    private final CustomerApprovals approvals;
    private final RecordingConsentDecision recording;
    private final Clock clock;

    public sealed interface Result {
        record Refused(CredentialRefusal why) implements Result {
        }

        /** No consent of this API user has that auth_req_id, or it was redeemed already. */
        record InvalidGrant() implements Result {
        }

        record Pending() implements Result {
        }

        record Denied() implements Result {
        }

        record Expired() implements Result {
        }

        /** The tokens in clear, to hand over once. */
        record Issued(String accessToken, Duration expiresIn, String refreshToken, Duration refreshExpiresIn,
                      String scope) implements Result {
            @Override
            public String toString() {
                return "Issued[scope=" + scope + "]";
            }
        }
    }

    public RedeemingConsent(AuthenticatingApiUser users, ConsentStore store, CustomerApprovals approvals,
                            RecordingConsentDecision recording, Clock clock) {
        this.users = users;
        this.store = store;
        this.approvals = approvals;
        this.recording = recording;
        this.clock = clock;
    }

    public Result redeem(String subscriptionKey, MomoProduct product, String apiUser, String apiKey,
                         String authReqId) {
        AuthenticatingApiUser.Caller caller;
        switch (users.authenticate(subscriptionKey, product, apiUser, apiKey)) {
            case AuthenticatingApiUser.Result.Refused r -> {
                return new Result.Refused(r.why());
            }
            case AuthenticatingApiUser.Result.Authenticated a -> caller = a.caller();
        }
        if (authReqId == null || authReqId.isBlank()) {
            return new Result.InvalidGrant();
        }
        Optional<Consent> found = store.byAuthReq(Secrets.digest(authReqId.trim()))
                .filter(c -> c.apiUserId().equals(caller.apiUserId()) && c.product() == product);
        if (found.isEmpty()) {
            return new Result.InvalidGrant();
        }
        Consent c = found.get();
        if (c.status() == Consent.Status.PENDING) {
            // The customer's answer may not have reached the core yet (a lost notice): ask the operator.
            approvals.decision(c.id().toString()).ifPresent(recording::record);
            c = store.find(c.id()).orElse(c);
        }
        return switch (c.status()) {
            case PENDING -> new Result.Pending();
            case REJECTED -> new Result.Denied();
            case EXPIRED -> new Result.Expired();
            case REDEEMED -> new Result.InvalidGrant();
            case APPROVED -> issue(c);
        };
    }

    /** The move to REDEEMED and the tokens commit together; of two redeems at once, one gets the tokens. */
    private Result issue(Consent c) {
        Instant now = clock.instant();
        String access = newToken();
        String refresh = newToken();
        Map<String, IdentityToken> tokens = new LinkedHashMap<>();
        tokens.put(Secrets.digest(access), new IdentityToken(IdentityToken.Kind.ACCESS, c.id(),
                c.merchantId(), c.apiUserId(), c.msisdn(), c.scope(), now, now.plus(ACCESS_TOKEN_LIFETIME)));
        tokens.put(Secrets.digest(refresh), new IdentityToken(IdentityToken.Kind.REFRESH, c.id(),
                c.merchantId(), c.apiUserId(), c.msisdn(), c.scope(), now, now.plus(REFRESH_TOKEN_LIFETIME)));
        if (!store.redeem(c.id(), tokens)) {
            return new Result.InvalidGrant();
        }
        return new Result.Issued(access, ACCESS_TOKEN_LIFETIME, refresh, REFRESH_TOKEN_LIFETIME, c.scope());
    }

    private static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
