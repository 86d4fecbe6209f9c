package io.kulipa.dialects.scantopay.remote.secure;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** The simulated ACS's 3-D Secure challenges (OTP and paRes as digests only). */
public interface SecureCodeStore {

    enum Status { CHALLENGED, AUTHENTICATED, FAILED, USED }

    record Challenge(String id, UUID brandId, String msisdn, String transactionId, String cardHash,
                     String lastFour, String otpDigest, int attempts, Status status, String paresDigest,
                     Instant createdAt, Instant expiresAt) {

        public Challenge with(int attempts, Status status, String paresDigest) {
            return new Challenge(id, brandId, msisdn, transactionId, cardHash, lastFour, otpDigest, attempts, status,
                    paresDigest, createdAt, expiresAt);
        }
    }

    /** The handle of one transaction: read and change a challenge under its row lock. */
    interface Books {
        Optional<Challenge> lock(String id);

        void update(Challenge c);

        void add(Challenge c);
    }

    <T> T inTransaction(Function<Books, T> work);

    Optional<Challenge> find(String id);
}
