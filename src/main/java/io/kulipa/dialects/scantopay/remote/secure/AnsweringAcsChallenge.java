package io.kulipa.dialects.scantopay.remote.secure;

import io.kulipa.payments.Secrets;
import java.time.Clock;

/**
 * The customer's answer on the ACS page: the right OTP within {@link StartingSecureCode#CHALLENGE_VALIDITY}
 * authenticates the challenge and answers a fresh paRes (shown once, kept as a digest); a wrong
 * one counts, and the {@link StartingSecureCode#OTP_ATTEMPTS_MAX}th fails the challenge for good.
 */
public final class AnsweringAcsChallenge {

    public enum Outcome { AUTHENTICATED, WRONG_OTP, FAILED, EXPIRED, NOT_FOUND, ALREADY_DONE }

    public record Answer(Outcome outcome, String paRes, int attemptsLeft) {
    }

    private final SecureCodeStore store;
    private final Clock clock;

    public AnsweringAcsChallenge(SecureCodeStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Answer answer(String id, String otp) {
        return store.inTransaction(books -> {
            var found = books.lock(id);
            if (found.isEmpty()) {
                return new Answer(Outcome.NOT_FOUND, null, 0);
            }
            var c = found.get();
            if (c.status() != SecureCodeStore.Status.CHALLENGED) {
                return new Answer(c.status() == SecureCodeStore.Status.FAILED ? Outcome.FAILED : Outcome.ALREADY_DONE,
                        null, 0);
            }
            if (!clock.instant().isBefore(c.expiresAt())) {
                books.update(c.with(c.attempts(), SecureCodeStore.Status.FAILED, null));
                return new Answer(Outcome.EXPIRED, null, 0);
            }
            boolean right = otp != null && otp.strip().matches("[0-9]{" + StartingSecureCode.OTP_DIGITS + "}")
                    && Secrets.sameDigest(Secrets.digest(id + ":" + otp.strip()), c.otpDigest());
            if (!right) {
                int attempts = c.attempts() + 1;
                boolean last = attempts >= StartingSecureCode.OTP_ATTEMPTS_MAX;
                books.update(c.with(attempts, last ? SecureCodeStore.Status.FAILED : SecureCodeStore.Status.CHALLENGED,
                        null));
                return new Answer(last ? Outcome.FAILED : Outcome.WRONG_OTP, null,
                        StartingSecureCode.OTP_ATTEMPTS_MAX - attempts);
            }
            String paRes = "PARES" + Secrets.random();
            books.update(c.with(c.attempts(), SecureCodeStore.Status.AUTHENTICATED, Secrets.digest(paRes)));
            return new Answer(Outcome.AUTHENTICATED, paRes, 0);
        });
    }
}
