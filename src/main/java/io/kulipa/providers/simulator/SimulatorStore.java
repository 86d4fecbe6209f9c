package io.kulipa.providers.simulator;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Persistence of the simulated operators' books; implemented in {@code store}. */
public interface SimulatorStore {

    /** Books a transaction unless its reference is known; the operator reference of the booked one. */
    String insertIfAbsent(SimTransaction transaction);

    /** {@link #insertIfAbsent} for several transactions in one database transaction, answering in order. */
    default List<String> insertAllIfAbsent(List<SimTransaction> transactions) {
        return transactions.stream().map(this::insertIfAbsent).toList();
    }

    /**
     * A submit to book. With {@code byWallet}, the customer's wallet decides when it is booked
     * (issue 14: one read less per submit): a wallet set to manual approval, or none set with
     * {@code manualByDefault}, books {@code manualPlanned} due at {@code manualDue} instead of the
     * transaction's own plan.
     */
    record Booking(SimTransaction transaction, boolean byWallet, boolean manualByDefault, String manualPlanned,
                   java.time.Instant manualDue) {
        public static Booking as(SimTransaction t) {
            return new Booking(t, false, false, null, null);
        }
    }

    /** What was booked: the operator reference and when the transaction falls due (of the first booking of a reference). */
    record Booked(String providerRef, java.time.Instant dueAt) {
    }

    /** Books several submits in one database transaction, answering in order. */
    List<Booked> bookAll(List<Booking> bookings);

    Optional<SimTransaction> find(String reference);

    /** Transactions on a handset that still wait for the customer or the operator. */
    List<SimTransaction> open(String msisdn, int limit);

    List<Sms> inbox(String msisdn, int limit);

    Optional<SimWallet> wallet(String msisdn);

    /**
     * Replaces up to {@code limit} PINs kept in clear by wallets of before V14 with their hash (or
     * with nothing where it is the opening PIN);
     * the number replaced, so that a caller can repeat until none is left.
     */
    int hashClearPins(String openingPin, int limit);

    /**
     * The callbacks that died with a process: a transaction this operator finished with a callback
     * to send whose payment still waits for its later status check. That check is made due now, so
     * that a restart finishes such payments in seconds instead of at the check's time. A callback
     * lost on purpose (the lost-callbacks knob) keeps its check's time. How many were made due.
     */
    int checkNowWhereCallbacksDied();

    /** The customer's accounts besides the wallet, in the order they were opened. */
    List<SimAccount> accounts(String msisdn);

    /** The failure knobs of every simulated operator that has some, shared by every node. */
    java.util.Map<String, SimulatedOperators.Knobs> knobs();

    /** Sets one operator's knobs for every node; {@code NONE} removes them. */
    void knobs(String correspondent, SimulatedOperators.Knobs knobs);

    /** Runs work in one database transaction. */
    <R> R inTransaction(Function<Books, R> work);

    /** What one transaction of the simulated operator may do. */
    interface Books {
        /** Locks up to {@code limit} open transactions whose time to act has come, skipping locked ones. */
        List<SimTransaction> lockDue(int limit);

        Optional<SimTransaction> lock(String reference);

        /** Locks the wallet, opening it with the given balance and the opening PIN when it does not exist yet. */
        SimWallet lockWallet(String msisdn, String currency, BigDecimal openingBalance);

        /**
         * Locks many wallets at once (in number order), opening the missing ones as
         * {@link #lockWallet} would, so that the {@code lockWallet} calls of this transaction that
         * follow need no round trip; by default it does nothing and each {@code lockWallet} locks.
         *
         * @param currencies each wallet's number and the currency it opens in when new, in the order the
         *                   transaction would have locked them
         */
        default void lockWallets(java.util.SequencedMap<String, String> currencies, BigDecimal openingBalance) {
        }

        void updateWallet(SimWallet wallet);

        /** Opens the accounts that do not exist yet, then locks and answers all of the customer's. */
        List<SimAccount> lockAccounts(String msisdn, List<SimAccount> opening);

        void updateAccount(SimAccount account);

        void finish(String reference, SimTransaction.Status status, String failureCode);

        void countPinAttempt(String reference);

        void sms(String msisdn, String sender, String text);
    }
}
