package io.kulipa.callbacks;

import java.util.Optional;

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
}
