package io.kulipa.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.money.CountryRules;
import io.kulipa.providers.simulator.Scenarios;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The correspondent catalog and the sandbox test numbers against the pawaPay Merchant API v1
 * spec: the "Correspondents" tables (country, currency, decimals in amount) and the "Test phone
 * numbers (MSISDNs)" tables.
 *
 * <p>The correspondent table is written out below so that the catalog is always checked; when
 * the spec text is at hand (system property {@code kulipa.spec}, else the shared spec folder)
 * the written-out table and the scenario table are also compared with the spec itself.
 */
class CatalogTest {

    /** One row of the spec's correspondent tables; decimals per operation. */
    record SpecCorrespondent(String id, String country, String currency, int depositDecimals, int payoutDecimals) {
    }

    /** One row of the spec's test number tables; outcome is a failure code, NO_CALLBACK or COMPLETED. */
    record SpecTestNumber(Operation operation, String msisdn, String correspondent, String outcome) {
    }

    /** The spec's "Correspondents" tables: "Not supported" is 0 places, "2 places" is 2. */
    static final List<SpecCorrespondent> SPEC_CORRESPONDENTS = List.of(
            new SpecCorrespondent("MTN_MOMO_BEN", "BEN", "XOF", 0, 0),
            new SpecCorrespondent("MOOV_BEN", "BEN", "XOF", 0, 0),
            new SpecCorrespondent("MTN_MOMO_CMR", "CMR", "XAF", 0, 0),
            new SpecCorrespondent("ORANGE_CMR", "CMR", "XAF", 0, 0),
            new SpecCorrespondent("MTN_MOMO_CIV", "CIV", "XOF", 0, 0),
            new SpecCorrespondent("ORANGE_CIV", "CIV", "XOF", 0, 0),
            new SpecCorrespondent("VODACOM_MPESA_COD", "COD", "CDF", 2, 2),
            new SpecCorrespondent("AIRTEL_COD", "COD", "CDF", 2, 2),
            new SpecCorrespondent("ORANGE_COD", "COD", "CDF", 2, 2),
            new SpecCorrespondent("MTN_MOMO_GHA", "GHA", "GHS", 2, 2),
            new SpecCorrespondent("AIRTELTIGO_GHA", "GHA", "GHS", 2, 2),
            new SpecCorrespondent("VODAFONE_GHA", "GHA", "GHS", 2, 2),
            new SpecCorrespondent("MPESA_KEN", "KEN", "KES", 0, 2),
            new SpecCorrespondent("AIRTEL_MWI", "MWI", "MWK", 2, 2),
            new SpecCorrespondent("TNM_MWI", "MWI", "MWK", 2, 2),
            new SpecCorrespondent("VODACOM_MOZ", "MOZ", "MZN", 2, 2),
            new SpecCorrespondent("AIRTEL_NGA", "NGA", "NGN", 0, 0),
            new SpecCorrespondent("MTN_MOMO_NGA", "NGA", "NGN", 2, 2),
            new SpecCorrespondent("AIRTEL_RWA", "RWA", "RWF", 0, 0),
            new SpecCorrespondent("MTN_MOMO_RWA", "RWA", "RWF", 0, 0),
            new SpecCorrespondent("FREE_SEN", "SEN", "XOF", 0, 0),
            new SpecCorrespondent("ORANGE_SEN", "SEN", "XOF", 0, 0),
            new SpecCorrespondent("ORANGE_SLE", "SLE", "SLE", 2, 2),
            new SpecCorrespondent("AIRTEL_TZA", "TZA", "TZS", 2, 2),
            new SpecCorrespondent("VODACOM_TZA", "TZA", "TZS", 2, 2),
            new SpecCorrespondent("TIGO_TZA", "TZA", "TZS", 0, 0),
            new SpecCorrespondent("HALOTEL_TZA", "TZA", "TZS", 0, 0),
            new SpecCorrespondent("AIRTEL_OAPI_UGA", "UGA", "UGX", 0, 0),
            new SpecCorrespondent("MTN_MOMO_UGA", "UGA", "UGX", 2, 2),
            new SpecCorrespondent("AIRTEL_OAPI_ZMB", "ZMB", "ZMW", 2, 2),
            new SpecCorrespondent("MTN_MOMO_ZMB", "ZMB", "ZMW", 2, 2),
            new SpecCorrespondent("ZAMTEL_ZMB", "ZMB", "ZMW", 2, 2));

    static final String SPEC_FILE = "pawapay-merchant-api-v1.txt";

    static Catalog catalog;
    static Scenarios scenarios;

    @BeforeAll
    static void load() {
        catalog = Catalog.loadDefault();
        scenarios = Scenarios.loadDefault();
    }

    // ---------------------------------------------------------------- correspondents

    @Test
    void hasExactlyTheThirtyTwoCorrespondentsOfTheSpec() {
        assertThat(SPEC_CORRESPONDENTS).hasSize(32);
        assertThat(catalog.correspondents()).extracting(Correspondent::id)
                .containsExactlyInAnyOrderElementsOf(SPEC_CORRESPONDENTS.stream().map(SpecCorrespondent::id).toList());
    }

    static Stream<SpecCorrespondent> specCorrespondents() {
        return SPEC_CORRESPONDENTS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specCorrespondents")
    void everyCorrespondentHasTheCountryCurrencyAndDecimalsOfTheSpec(SpecCorrespondent spec) {
        Correspondent c = catalog.correspondent(spec.id()).orElseThrow();

        assertThat(c.country()).as("country of %s", spec.id()).isEqualTo(spec.country()).matches("^[A-Z]{3}$");
        assertThat(c.currency()).as("currency of %s", spec.id()).isEqualTo(spec.currency());
        assertThat(c.limits(Operation.DEPOSIT)).as("deposit limits of %s", spec.id()).isPresent();
        assertThat(c.limits(Operation.PAYOUT)).as("payout limits of %s", spec.id()).isPresent();
        assertThat(c.limits(Operation.DEPOSIT).orElseThrow().decimals()).as("deposit decimals of %s", spec.id())
                .isEqualTo(spec.depositDecimals());
        assertThat(c.limits(Operation.PAYOUT).orElseThrow().decimals()).as("payout decimals of %s", spec.id())
                .isEqualTo(spec.payoutDecimals());
        assertThat(c.prefixes()).as("prefixes of %s", spec.id()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specCorrespondents")
    void everyCorrespondentsCountryIsInTheCatalogWithTheSameCurrency(SpecCorrespondent spec) {
        Correspondent c = catalog.correspondent(spec.id()).orElseThrow();
        CountryRules country = catalog.country(c.country()).orElseThrow();

        assertThat(country.code()).isEqualTo(spec.country());
        assertThat(country.currency()).isEqualTo(spec.currency());
        assertThat(country.dialCode()).matches("^[1-9][0-9]{0,2}$");
        assertThat(country.msisdnLengths()).isNotEmpty().allSatisfy(n -> assertThat(n).isBetween(8, 15));
        assertThat(c.prefixes()).allSatisfy(p -> assertThat(p).startsWith(country.dialCode()));
    }

    static Stream<Arguments> operationLimits() {
        return Catalog.loadDefault().correspondents().stream()
                .flatMap(c -> c.operations().entrySet().stream().map(e -> Arguments.of(c.id(), e.getKey(), e.getValue())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("operationLimits")
    void everyOperationHasAPositiveMinimumBelowItsMaximum(String id, Operation operation, OperationLimits limits) {
        assertThat(limits.min().signum()).as("min of %s %s", id, operation).isPositive();
        assertThat(limits.min()).as("min < max for %s %s", id, operation).isLessThan(limits.max());
        assertThat(limits.decimals()).as("decimals of %s %s", id, operation).isBetween(0, 2);
    }

    @Test
    void theWrittenOutTableIsTheSpecsTable() {
        List<SpecCorrespondent> parsed = parseCorrespondents(specText());

        assertThat(parsed).containsExactlyInAnyOrderElementsOf(SPEC_CORRESPONDENTS);
    }

    // ---------------------------------------------------------------- scenario numbers

    static Stream<Scenarios.Scenario> scenarioRows() {
        return Scenarios.loadDefault().all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarioRows")
    void everyScenarioNumberIsANumberOfItsCorrespondent(Scenarios.Scenario s) {
        Correspondent c = catalog.correspondent(s.correspondent()).orElseThrow(
                () -> new AssertionError("unknown correspondent " + s.correspondent() + " for " + s.msisdn()));
        CountryRules country = catalog.country(c.country()).orElseThrow();

        assertThat(s.operation()).isIn(Operation.DEPOSIT, Operation.PAYOUT);
        assertThat(country.accepts(s.msisdn())).as("%s accepts %s", country.code(), s.msisdn()).isTrue();
        assertThat(c.prefixes()).as("prefixes of %s", c.id()).anySatisfy(p -> assertThat(s.msisdn()).startsWith(p));
        assertThat(catalog.countryOfMsisdn(s.msisdn()).map(CountryRules::code)).contains(c.country());
    }

    @Test
    void theScenarioTableHasEveryRowOfTheSpecsTestNumberTables() {
        List<SpecTestNumber> rows = parseTestNumbers(specText());
        // The spec has test tables for 30 of its 32 correspondents (none for ORANGE_CIV, VODACOM_MOZ).
        assertThat(rows.stream().map(SpecTestNumber::correspondent).distinct()).hasSize(30);
        assertThat(rows).hasSizeGreaterThan(250);

        assertThat(rows).allSatisfy(row -> {
            Optional<Scenarios.Scenario> found = scenarios.find(row.operation(), row.msisdn());
            assertThat(found).as("scenario for %s", row).isPresent();
            assertThat(found.get().correspondent()).as("correspondent of %s", row).isEqualTo(row.correspondent());
            assertThat(found.get().outcome()).as("outcome of %s", row).isEqualTo(row.outcome());
        });
    }

    // ---------------------------------------------------------------- reading the spec

    /** The spec text, or the test is skipped (with a reason) when it is not on this machine. */
    static String specText() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("kulipa.spec");
        if (property != null) {
            candidates.add(Path.of(property));
        }
        candidates.add(Path.of("/work/shared/spec", SPEC_FILE));
        candidates.add(Path.of("..", "shared", "spec", SPEC_FILE));
        candidates.add(Path.of("spec", SPEC_FILE));
        Optional<Path> found = candidates.stream().filter(Files::isReadable).findFirst();
        Assumptions.assumeTrue(found.isPresent(), "the pawaPay spec text is not at any of " + candidates
                + "; set -Dkulipa.spec=/path/to/" + SPEC_FILE);
        try {
            return Files.readString(found.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + found.get(), e);
        }
    }

    private static final Pattern CORRESPONDENT_ROW = Pattern.compile(
            "^(\\S+) ([A-Z][A-Z0-9_]*_[A-Z]{3}) ([A-Z]{3}) ([A-Z]{3}) (.+)$");

    /** Rows of the tables between the "Correspondents" heading and "Testing the API". */
    static List<SpecCorrespondent> parseCorrespondents(String spec) {
        List<String> lines = spec.lines().toList();
        int start = lines.indexOf("Correspondents");
        int end = lines.indexOf("Testing the API");
        assertThat(start).as("'Correspondents' heading").isNotNegative();
        assertThat(end).as("'Testing the API' heading").isGreaterThan(start);
        List<SpecCorrespondent> rows = new ArrayList<>();
        for (String line : lines.subList(start, end)) {
            Matcher m = CORRESPONDENT_ROW.matcher(line.strip());
            if (m.matches()) {
                String decimals = m.group(5).toLowerCase();
                int deposit;
                int payout;
                if (decimals.startsWith("deposits:")) {
                    String[] parts = decimals.split(";");
                    deposit = places(parts[0].substring(parts[0].indexOf(':') + 1));
                    payout = places(parts[1].substring(parts[1].indexOf(':') + 1));
                } else {
                    deposit = places(decimals);
                    payout = deposit;
                }
                rows.add(new SpecCorrespondent(m.group(2), m.group(3), m.group(4), deposit, payout));
            }
        }
        return rows;
    }

    private static int places(String words) {
        String w = words.strip();
        if (w.equals("not supported")) {
            return 0;
        }
        Matcher m = Pattern.compile("^(\\d) places?$").matcher(w);
        assertThat(m.matches()).as("decimals text '%s'", w).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static final Pattern TEST_TABLE_HEADING = Pattern.compile("^.+ - .+ \\(([A-Z][A-Z0-9_]*)\\)$");
    private static final Pattern TEST_ROW = Pattern.compile("^(\\d+) (.+)$");

    /** Rows of the tables between "Test phone numbers (MSISDNs)" and "Technical failure codes". */
    static List<SpecTestNumber> parseTestNumbers(String spec) {
        List<String> lines = spec.lines().toList();
        int start = lines.indexOf("Test phone numbers (MSISDNs)");
        int end = lines.indexOf("Technical failure codes");
        assertThat(start).as("'Test phone numbers (MSISDNs)' heading").isNotNegative();
        assertThat(end).as("'Technical failure codes' heading").isGreaterThan(start);
        Map<String, SpecTestNumber> rows = new LinkedHashMap<>();
        String correspondent = null;
        Operation operation = null;
        for (String raw : lines.subList(start, end)) {
            String line = raw.strip();
            Matcher heading = TEST_TABLE_HEADING.matcher(line);
            Matcher row = TEST_ROW.matcher(line);
            if (heading.matches()) {
                correspondent = heading.group(1);
                operation = null;
            } else if (line.equals("Deposits")) {
                operation = Operation.DEPOSIT;
            } else if (line.equals("Payouts")) {
                operation = Operation.PAYOUT;
            } else if (row.matches()) {
                assertThat(correspondent).as("table heading before %s", line).isNotNull();
                assertThat(operation).as("Deposits/Payouts before %s", line).isNotNull();
                SpecTestNumber n = new SpecTestNumber(operation, row.group(1), correspondent, outcome(row.group(2)));
                SpecTestNumber before = rows.put(operation + ":" + n.msisdn(), n);
                assertThat(before).as("the spec lists %s %s once", operation, n.msisdn()).isNull();
            }
        }
        return List.copyOf(rows.values());
    }

    private static String outcome(String words) {
        if (words.startsWith("NO CALLBACK")) {
            return Scenarios.NO_CALLBACK;
        }
        if (words.contains("(COMPLETED)")) {
            return Scenarios.COMPLETED;
        }
        assertThat(words).matches("^[A-Z_]+$");
        return words;
    }
}
