package io.kulipa.providers.simulator;

import java.time.Instant;

/** A text message in a virtual handset's inbox. */
public record Sms(long id, String msisdn, Instant at, String sender, String text) {
}
