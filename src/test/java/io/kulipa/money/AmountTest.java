package io.kulipa.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pawaPay amount rules (Mobile Money Deposit Request, field "amount"): the spec's own valid
 * and invalid examples, the length bound of 1 to 23 characters, and exact decimal values.
 */
class AmountTest {

    /** "Valid examples" of the spec, verbatim. */
    @ParameterizedTest(name = "spec valid example \"{0}\"")
    @ValueSource(strings = {"5", "5.0", "5.00", "5.5", "5.55", "5555555", "0.5"})
    void acceptsEveryValidExampleOfTheSpec(String text) {
        Optional<Amount> parsed = Amount.parse(text);

        assertThat(parsed).isPresent();
        assertThat(parsed.get().text()).isEqualTo(text);
        // Exactly the decimal written, scale included: "5.00" stays 5.00, never a double.
        assertThat(parsed.get().value()).isEqualTo(new BigDecimal(text));
        assertThat(parsed.get().value().scale()).isEqualTo(new BigDecimal(text).scale());
    }

    /** "Not valid examples" of the spec, verbatim. */
    @ParameterizedTest(name = "spec invalid example \"{0}\"")
    @ValueSource(strings = {"5.", "5.555", "5555555555555555555", ".5", "-5.5", "00.5", "00.00", "00001.32"})
    void refusesEveryInvalidExampleOfTheSpec(String text) {
        assertThat(Amount.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "null or empty \"{0}\"")
    @NullAndEmptySource
    void refusesNullAndEmpty(String text) {
        assertThat(Amount.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "edge case \"{0}\"")
    @ValueSource(strings = {
        " ", "  5", "5 ", " 5 ", "\t5", "5\n", "5 .5", "5. 5",   // whitespace anywhere
        "+5", "5.5.5", "5,5", "5,50", "1e3", "1E3", "0x10", "NaN", "Infinity", "five",
        "05", "00", "000", "0.", ".", "-0", "-5", "0.555", "5.5a", "١٢", // Arabic-Indic digits
        "0.000", "1.001",
        "1234567890123456789",          // 19 whole digits
        "123456789012345678901234",     // 24 characters
        "1234567890123456789012.55",    // 25 characters, well shaped otherwise
    })
    void refusesMalformedText(String text) {
        assertThat(Amount.parse(text)).isEmpty();
    }

    @Test
    void refusesTextOfTwentyFourCharactersWhateverItsShape() {
        assertThat("1".repeat(24)).hasSize(24);
        assertThat(Amount.parse("1".repeat(24))).isEmpty();
        assertThat(Amount.parse("1".repeat(21) + ".55")).isEmpty();
        assertThat(Amount.parse("9".repeat(23))).isEmpty();
    }

    @Test
    void zeroIsAWellFormedAmountWorthNothing() {
        Optional<Amount> zero = Amount.parse("0");

        assertThat(zero).isPresent();
        assertThat(zero.get().isZero()).isTrue();
        assertThat(zero.get().value()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(zero.get().significantDecimals()).isZero();
    }

    @ParameterizedTest(name = "longest well-formed \"{0}\"")
    @ValueSource(strings = {"999999999999999999", "999999999999999999.99", "100000000000000000.01", "0.01", "0.99"})
    void acceptsTheLargestAndSmallestShapes(String text) {
        Optional<Amount> parsed = Amount.parse(text);

        assertThat(parsed).isPresent();
        assertThat(parsed.get().value()).isEqualTo(new BigDecimal(text));
        // Every digit survives: a double would round 999999999999999999.99 to 1.0E18.
        assertThat(parsed.get().value().toPlainString()).isEqualTo(text);
    }

    @ParameterizedTest(name = "\"{0}\" has {1} significant decimals")
    @CsvSource({
        "5, 0",
        "5.0, 0",
        "5.00, 0",
        "5.5, 1",
        "5.50, 1",
        "5.55, 2",
        "5.05, 2",
        "0.5, 1",
        "0.05, 2",
        "0, 0",
        "100, 0",
        "100.00, 0",
        "5555555, 0",
        "999999999999999999.99, 2",
    })
    void countsOnlyTheDecimalsThatCarryAValue(String text, int expected) {
        assertThat(Amount.parse(text).orElseThrow().significantDecimals()).isEqualTo(expected);
    }

    static Stream<Arguments> sums() {
        return Stream.of(
                Arguments.of("0.1", "0.2", "0.3"),
                Arguments.of("999999999999999999.99", "0.01", "1000000000000000000.00"),
                Arguments.of("5.55", "5.45", "11.00"));
    }

    @ParameterizedTest(name = "{0} + {1} = {2} exactly")
    @MethodSource("sums")
    void valuesAreExactDecimals(String a, String b, String sum) {
        BigDecimal total = Amount.parse(a).orElseThrow().value().add(Amount.parse(b).orElseThrow().value());

        assertThat(total).isEqualTo(new BigDecimal(sum));
    }

    @ParameterizedTest(name = "{0} is written as \"{1}\"")
    @CsvSource({
        "15, 15",
        "15.00, 15",
        "15.50, 15.5",
        "1E+3, 1000",
        "0.50, 0.5",
        "0, 0",
    })
    void writesPlainTextWithoutTrailingZeros(String value, String text) {
        Amount amount = Amount.of(new BigDecimal(value));

        assertThat(amount.text()).isEqualTo(text);
        assertThat(Amount.parse(amount.text())).isPresent();
    }

    @Test
    void aNegativeValueCannotBeBuilt() {
        assertThatThrownBy(() -> new Amount(new BigDecimal("-0.01"), "-0.01"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
