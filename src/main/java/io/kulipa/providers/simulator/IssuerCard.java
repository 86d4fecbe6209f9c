package io.kulipa.providers.simulator;

import java.time.YearMonth;

/**
 * The card a payment is made with, as the vault hands it to the simulated issuer: the keyed hash
 * that names the issuer's account, BIN and last four, expiry. No PAN: the simulated issuers keep
 * their accounts under the vault's hash, so the sandbox never needs one in clear.
 */
public record IssuerCard(String lookupHash, String bin, String last4, YearMonth expiry) {
}
