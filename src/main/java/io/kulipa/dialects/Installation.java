package io.kulipa.dialects;

import io.kulipa.callbacks.CallbackFormat;
import io.kulipa.callbacks.CallbackSource;
import io.kulipa.payments.DepositPostings;
import io.kulipa.web.Routes;

/** What a dialect adds while it is installed: endpoints, callback formats and sources, background work. */
public interface Installation {

    /** Endpoints served by the one HTTP server. */
    void routes(Routes routes);

    /**
     * How final payments of {@code dialect} are told to merchants (body, method, retries).
     * Payments of a dialect without a format are never called back.
     */
    void callbackFormat(String dialect, CallbackFormat format);

    /**
     * How the callbacks of one of the dialect's own subject kinds (MoMo's "momo-preapproval",
     * "momo-invoice", "momo-voucher") are rendered and delivered: URL, method, body and policy.
     * The dialect's stores add a subject's callback job with {@code store.CallbackOutbox} in the
     * transaction of the change that makes it due; the one delivery component sends it.
     */
    void callbackSource(String subjectKind, CallbackSource source);

    /**
     * How completed deposits of {@code dialect} are posted to the ledger, when not as the core
     * does it (Jenga credits net of the operator's charge, or into settlement suspense).
     */
    void depositPostings(String dialect, DepositPostings postings);

    /**
     * How the dialect answers a request of its paths while the database cannot be reached (its
     * own error body and 5xx status). A dialect without one gets the server's plain 503.
     */
    default void outageAnswer(io.kulipa.web.OutageAnswer answer) {
    }

    /** Work that runs beside the HTTP server: started after it, stopped before the database. */
    void background(Background work);

    /** Background work of a dialect: started once, closed once on the way down. */
    interface Background extends AutoCloseable {
        void start();

        @Override
        void close();
    }
}
