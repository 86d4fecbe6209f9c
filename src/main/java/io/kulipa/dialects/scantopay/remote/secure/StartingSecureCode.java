package io.kulipa.dialects.scantopay.remote.secure;

import io.kulipa.payments.Secrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code /secureCodeLookup}: starts a 3-D Secure challenge of the simulated ACS for a card of a
 * wallet profile and a transactionId. A one-time password goes to the customer's handset (its
 * SMS inbox in the sandbox); the wallet opens the ACS page of the answered {@code acsUrl} in a
 * WebView, where the customer types it; the page then shows the paRes that {@code purchaseTx}'s
 * {@code secureCodeBasic} carries with the {@code secureCodeId}.
 */
public final class StartingSecureCode {

    public static final Duration CHALLENGE_VALIDITY = Duration.ofMinutes(5);
    public static final int OTP_DIGITS = 6;
    /** Three wrong OTPs fail the challenge, as ACSs commonly do. */
    public static final int OTP_ATTEMPTS_MAX = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Started(SecureCodeStore.Challenge challenge) {
    }

    private final SecureCodeStore store;
    private final Clock clock;
    private final java.util.function.BiConsumer<String, String> sms;

    /** {@code sms} sends a text to an MSISDN (the sandbox: the virtual handset's inbox). */
    public StartingSecureCode(SecureCodeStore store, Clock clock, java.util.function.BiConsumer<String, String> sms) {
        this.store = store;
        this.clock = clock;
        this.sms = sms;
    }

    public Started start(UUID brandId, String brandName, String msisdn, String transactionId, String cardHash,
                         String lastFour) {
        Instant now = clock.instant();
        String otp = otp();
        String id = "SC" + Secrets.random();
        var challenge = new SecureCodeStore.Challenge(id, brandId, msisdn, transactionId, cardHash, lastFour,
                Secrets.digest(id + ":" + otp), 0, SecureCodeStore.Status.CHALLENGED, null, now,
                now.plus(CHALLENGE_VALIDITY));
        store.inTransaction(books -> {
            books.add(challenge);
            return null;
        });
        // After the commit: an OTP for a challenge that was never stored would be useless.
        sms.accept(msisdn, "Your " + brandName + " 3-D Secure one-time password for card ****" + lastFour + " is "
                + otp + ". It expires in " + CHALLENGE_VALIDITY.toMinutes() + " minutes. Never share it.");
        return new Started(challenge);
    }

    static String otp() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < OTP_DIGITS; i++) {
            s.append(RANDOM.nextInt(10));
        }
        return s.toString();
    }
}
