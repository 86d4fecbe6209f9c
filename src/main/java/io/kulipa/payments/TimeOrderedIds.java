package io.kulipa.payments;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Payment ids in the layout of RFC 9562's version 7: the first 48 bits are the creation time in
 * Unix milliseconds, the other 74 (beside version and variant) come from a cryptographically strong
 * random source, as {@link UUID#randomUUID()}'s 122 do. Ids made close in time are close in every
 * index keyed by a payment (the payment's own, its history's, its jobs', its transfers', its
 * webhook attempts'), so that new entries land on the same few index pages instead of a random
 * page each (issue 14, ADR 28); a payment's id still tells nothing that its creation time does not.
 */
public final class TimeOrderedIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long MILLIS_MASK = (1L << 48) - 1;

    private TimeOrderedIds() {
    }

    /** A new id made at {@code at}. */
    public static UUID at(Instant at) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long high = ((at.toEpochMilli() & MILLIS_MASK) << 16) | 0x7000L | (((random[0] & 0x0F) << 8) | (random[1] & 0xFF));
        long low = 0x8000_0000_0000_0000L | (random[2] & 0x3FL) << 56;
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low);
    }
}
