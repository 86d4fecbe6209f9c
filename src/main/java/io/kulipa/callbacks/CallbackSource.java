package io.kulipa.callbacks;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * How a dialect renders the callbacks of one subject kind: a dialect registers one per kind
 * (MoMo's pre-approvals, invoices, vouchers), and the core's payments have one of their own.
 * The body is rendered when it is sent, from the subject's current state, which is final and
 * so the state the callback was committed with.
 */
@FunctionalInterface
public interface CallbackSource {

    /** The callback of this subject as it now stands; empty when it has none (unknown, not final). */
    Optional<Callback> callback(String subjectId);

    /** A source of subjects whose ids are UUIDs; any other id has no callback. */
    static CallbackSource byUuid(Function<UUID, Optional<Callback>> lookup) {
        return subjectId -> {
            UUID id;
            try {
                id = UUID.fromString(subjectId);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return lookup.apply(id);
        };
    }
}
