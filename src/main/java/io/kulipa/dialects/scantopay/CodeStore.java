package io.kulipa.dialects.scantopay;

import java.util.Optional;

/** Codes, transaction ids and airtime limits of Scan to Pay; implemented in {@code store}. */
public interface CodeStore {

    /** Inserts the code unless its ten digits are taken; false on a collision. */
    boolean insert(Code code);

    Optional<Code> find(String code);

    /** Counts a use of the code when it may still be paid (not expired, not a used use-once code). */
    boolean use(String code);

    /** Gives back a use counted for a payment the core then refused. */
    void unuse(String code);

    /** The next numeric transaction id. */
    long nextTxId();

    /**
     * Adds airtime bought by an MSISDN today unless it would pass the day's limits; false when it would.
     */
    boolean addAirtime(String msisdn, java.time.LocalDate day, java.math.BigDecimal amount,
                       java.math.BigDecimal amountMax, int countMax);

    void removeAirtime(String msisdn, java.time.LocalDate day, java.math.BigDecimal amount);
}
