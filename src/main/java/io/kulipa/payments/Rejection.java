package io.kulipa.payments;

/** A request refused before anything was written, with a message that names the field. */
public record Rejection(FailureCode code, String message) {
}
