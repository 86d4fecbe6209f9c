package io.kulipa.testing;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The rows that name a payment, a merchant or a job that does not exist: what the foreign keys
 * V45 dropped used to refuse (ADR 28). The tests that storm, crash and take over nodes assert
 * that there are none, as they assert that the ledger is sound.
 */
public final class OrphanRows {

    private static final int SHOWN_MAX = 5;

    private static final List<String[]> CHECKS = List.of(
            new String[] {"payment without its merchant", """
                    SELECT c.id::text FROM payment c WHERE NOT EXISTS (SELECT 1 FROM merchant m WHERE m.id = c.merchant_id)"""},
            new String[] {"history row without its payment", """
                    SELECT c.id::text FROM payment_event c WHERE NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = c.payment_id)"""},
            new String[] {"job without its payment", """
                    SELECT c.id::text FROM outbox c
                    WHERE c.payment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = c.payment_id)"""},
            new String[] {"webhook attempt without its payment", """
                    SELECT c.id::text FROM callback_attempt c
                    WHERE c.payment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.id = c.payment_id)"""},
            new String[] {"webhook attempt without its job", """
                    SELECT c.id::text FROM callback_attempt c
                    WHERE c.outbox_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = c.outbox_id)"""});

    private OrphanRows() {
    }

    /** One line per kind of orphan found, with up to five of their ids; empty when there is none. */
    public static List<String> in(Jdbi jdbi) {
        List<String> found = new ArrayList<>();
        jdbi.useHandle(h -> {
            for (String[] check : CHECKS) {
                List<String> ids = h.createQuery(check[1] + " LIMIT " + SHOWN_MAX).mapTo(String.class).list();
                if (!ids.isEmpty()) {
                    found.add(check[0] + ": " + String.join(", ", ids));
                }
            }
        });
        return found;
    }
}
