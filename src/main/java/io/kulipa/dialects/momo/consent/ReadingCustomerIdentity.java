package io.kulipa.dialects.momo.consent;

import io.kulipa.payments.Secrets;
import io.kulipa.dialects.momo.credentials.AuthenticatingApiUser;
import io.kulipa.dialects.momo.credentials.CredentialRefusal;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.providers.CustomerApprovals;
import java.time.Clock;
import java.util.Optional;

/**
 * A customer's KYC profile as the operator registered it: with an identity access token the
 * customer consented to (userinfo), or the basic fields any merchant may read by number.
 */
public final class ReadingCustomerIdentity {

    private final AuthenticatingApiUser users;
    private final ConsentStore store;
    private final CustomerApprovals approvals;
    private final Clock clock;

    public sealed interface Result {
        record Found(CustomerApprovals.Profile profile, String scope) implements Result {
        }

        record Refused(CredentialRefusal why) implements Result {
        }
    }

    public ReadingCustomerIdentity(AuthenticatingApiUser users, ConsentStore store, CustomerApprovals approvals,
                                   Clock clock) {
        this.users = users;
        this.store = store;
        this.approvals = approvals;
        this.clock = clock;
    }

    /** userinfo: the token must be a live identity access token of the same merchant as the subscription key. */
    public Result withConsent(String subscriptionKey, MomoProduct product, String bearerToken) {
        AuthenticatingApiUser.Caller caller;
        switch (users.subscriptionKey(subscriptionKey, product)) {
            case AuthenticatingApiUser.Result.Refused r -> {
                return new Result.Refused(r.why());
            }
            case AuthenticatingApiUser.Result.Authenticated a -> caller = a.caller();
        }
        if (bearerToken == null || bearerToken.isBlank()) {
            return new Result.Refused(CredentialRefusal.MISSING_TOKEN);
        }
        Optional<IdentityToken> token = store.token(Secrets.digest(bearerToken.trim()))
                .filter(t -> t.kind() == IdentityToken.Kind.ACCESS);
        if (token.isEmpty()) {
            return new Result.Refused(CredentialRefusal.UNKNOWN_TOKEN);
        }
        if (!token.get().merchantId().equals(caller.merchantId())) {
            return new Result.Refused(CredentialRefusal.FOREIGN_TOKEN);
        }
        if (!clock.instant().isBefore(token.get().expiresAt())) {
            return new Result.Refused(CredentialRefusal.EXPIRED_TOKEN);
        }
        return new Result.Found(approvals.profile(token.get().msisdn()), token.get().scope());
    }

    /** basicuserinfo: the caller is already authenticated with a product token. */
    public CustomerApprovals.Profile basic(String msisdn) {
        return approvals.profile(msisdn);
    }
}
