package io.kulipa.dialects;

import io.kulipa.providers.Catalog;
import io.kulipa.web.ApiDocument;
import java.util.List;

/**
 * What a dialect gives the core: a provider's API spoken over Kulipa's payments. A dialect is
 * one folder under {@code dialects/}; {@code Kulipa.java} lists the installed ones, asks each
 * what it adds to the catalog and the simulator, builds the core once, and then lets each
 * {@link #install} its routes, callback formats and background work. Nothing starts before
 * every dialect is installed.
 */
public interface Dialect {

    /** The name payments of this dialect carry (their {@code dialect} column), such as "momo". */
    String name();

    /**
     * Correspondents the dialect adds to what payments, wallets and handsets know (MoMo's EUR
     * sandbox). The provider's own surface of another dialect keeps the operators' catalog.
     */
    default Catalog extend(Catalog operators) {
        return operators;
    }

    /** Classpath resources of simulator scenarios the dialect brings (its sandbox test numbers). */
    default List<String> simulatorScenarios() {
        return List.of();
    }

    /** OpenAPI documents the dialect serves under {@code /openapi/}, listed on {@code /docs}. */
    List<ApiDocument> apiDocuments();

    /**
     * Start-up work that needs no database, such as generating the key files this dialect keeps
     * in the data directory. Run on a thread of its own while the database starts and migrates
     * (ADR 20: the start's CPU work overlaps PostgreSQL's); {@link #install} comes only after it
     * has returned. Called once, before {@link #install}.
     */
    default void prepare(io.kulipa.Settings settings) {
    }

    /** Builds the dialect over the core and adds what it serves. Called once, before anything starts. */
    void install(Core core, Installation installation);

    /**
     * Gives the sandbox's demo merchant this dialect's credentials, after the core made the
     * merchant. Called on every sandbox start, after {@link #install}.
     */
    default void bootstrapDemo(DemoMerchant demo) {
    }
}
