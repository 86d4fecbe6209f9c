package io.kulipa.dialects.pawapay.paymentpage;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Persistence of Payment Page sessions; implemented in the dialect's {@code store} folder. */
public interface PaymentPageSessions {

    /**
     * Adds a session under the digest of its token. When the merchant already has a session for
     * that depositId nothing is written and that session is answered instead.
     */
    Optional<PaymentPageSession> insert(PaymentPageSession session, String tokenDigest);

    Optional<PaymentPageSession> byTokenDigest(String tokenDigest);

    /**
     * Gives a session that no browser has opened yet a new token and a new link deadline (a
     * merchant's retry of the same request); false when a browser opened it meanwhile.
     */
    boolean replaceToken(UUID id, String tokenDigest, Instant linkExpires);

    /**
     * Binds the session to the browser whose cookie has this digest, if no browser is bound yet
     * and the link has not expired at {@code at}; false otherwise.
     */
    boolean bindBrowser(UUID id, String browserDigest, Instant at);
}
