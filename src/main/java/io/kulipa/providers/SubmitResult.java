package io.kulipa.providers;

/** The operator's immediate answer to a submit. */
public sealed interface SubmitResult {

    /** The operator took the request and will report the outcome later. */
    record Accepted(String providerReference) implements SubmitResult {
    }

    /** The operator refused the request outright; nothing moved. */
    record Rejected(String failureCode, String message) implements SubmitResult {
    }

    /** No usable answer (time-out, broken connection): the operator may or may not have it. */
    record Unknown(String reason) implements SubmitResult {
    }
}
