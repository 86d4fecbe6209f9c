package io.kulipa.providers.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.payments.FailureCode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The simulator is part of the core and speaks the core's words: every outcome of both
 * test-number tables, and every code the simulated operators report by themselves, is a
 * {@link FailureCode} (or COMPLETED / NO_CALLBACK), never a dialect's wire word.
 */
class SimulatorSpeaksCoreCodesTest {

    private static final Set<String> CORE_CODES = Arrays.stream(FailureCode.values()).map(Enum::name)
            .collect(Collectors.toSet());

    @Test
    void everyScenarioOutcomeIsACoreCode() {
        Scenarios all = Scenarios.load(Scenarios.RESOURCE, "/simulator/momo-scenarios.csv");
        assertThat(all.all()).hasSizeGreaterThan(200);
        for (Scenarios.Scenario s : all.all()) {
            if (!s.outcome().equals(Scenarios.COMPLETED) && !s.outcome().equals(Scenarios.NO_CALLBACK)) {
                assertThat(CORE_CODES).as("%s %s", s.operation(), s.msisdn()).contains(s.outcome());
            }
        }
    }

    @Test
    void theOperatorsOwnFailuresAreCoreCodes() {
        for (String code : List.of(SimulatedOperators.APPROVAL_EXPIRED, SimulatedOperators.PAYMENT_NOT_APPROVED,
                SimulatedOperators.INSUFFICIENT_BALANCE, SimulatedOperators.PAYER_NOT_FOUND)) {
            assertThat(CORE_CODES).contains(code);
        }
    }
}
