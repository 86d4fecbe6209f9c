package io.kulipa.providers.simulator;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Knobs of the simulated operators.
 *
 * @param approvalDelay  how long a simulated customer takes to approve a prompt by itself,
 *                       and how long the operator takes for anything else
 * @param approvalWindow how long a prompt waits for a manual answer before it expires
 * @param manualApproval whether prompts for ordinary numbers wait for the handset API
 * @param openingBalance the balance a simulated wallet starts with
 * @param defaultPin     the PIN a simulated wallet starts with
 */
public record SimulatorSettings(Duration approvalDelay, Duration approvalWindow, boolean manualApproval,
                                BigDecimal openingBalance, String defaultPin) {

    public static final int MAX_PIN_ATTEMPTS = 3;

    @Override
    public String toString() {
        return "SimulatorSettings[approvalDelay=" + approvalDelay + ", approvalWindow=" + approvalWindow
                + ", manualApproval=" + manualApproval + ", openingBalance=" + openingBalance + "]";
    }
}
