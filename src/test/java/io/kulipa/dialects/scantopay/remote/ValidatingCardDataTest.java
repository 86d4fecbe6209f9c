package io.kulipa.dialects.scantopay.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.dialects.scantopay.remote.cards.BinTable;
import io.kulipa.dialects.scantopay.remote.cards.CardData;
import io.kulipa.dialects.scantopay.remote.cards.ValidatingCardData;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The card data rules of the business rules, each refusal naming its field. */
class ValidatingCardDataTest {

    /** 15 June 2026, UTC. */
    private final ValidatingCardData validating = new ValidatingCardData(BinTable.load(BinTable.RESOURCE),
            Clock.fixed(Instant.parse("2026-06-15T10:00:00Z"), ZoneOffset.UTC));

    private String problem(String pan, String expiry, String cvv, String acc, String dob, String name) {
        return validating.validate("card", new CardData(pan, expiry, cvv, acc, dob, name)).problem();
    }

    @Test
    void thePanIs14To19DigitsAndLuhnValid() {
        assertThat(problem(null, "1228", null, "20", null, null)).isEqualTo("card.pan: required");
        assertThat(problem("4000 0000 0000 0010", "1228", null, "20", null, null)).isEqualTo("card.pan: digits only");
        assertThat(problem("4000000000002", "1228", null, "20", null, null)).isEqualTo("card.pan: 14 to 19 digits");
        assertThat(problem("40000000000000000000", "1228", null, "20", null, null)).isEqualTo("card.pan: 14 to 19 digits");
        assertThat(problem("4000000000000011", "1228", null, "20", null, null)).isEqualTo("card.pan: fails the Luhn check");
        assertThat(problem("40000000000002", "1228", null, "20", null, null)).isNull();
        assertThat(problem("9999990000000014", "1228", null, "20", null, null)).contains("card.pan: no card scheme");
    }

    @Test
    void theExpiryIsMmyyAndNotPast() {
        assertThat(problem("4000000000000010", "2812", null, "20", null, null)).isEqualTo("card.expiry: must be MMYY");
        assertThat(problem("4000000000000010", "12/28", null, "20", null, null)).isEqualTo("card.expiry: must be MMYY");
        assertThat(problem("4000000000000010", "0526", null, "20", null, null)).isEqualTo("card.expiry: the card has expired");
        // Valid through the end of its month.
        assertThat(problem("4000000000000010", "0626", null, "20", null, null)).isNull();
        assertThat(problem("4000000000000010", null, null, "20", null, null)).isEqualTo("card.expiry: required, MMYY");
    }

    @Test
    void whatTheBinNeedsIsRequired() {
        // 400000-400499: AMT, account type needed; 400500-400999: 3DS with CVV; 510000-510499: CVV and name;
        // 510500-510999: account type and date of birth.
        assertThat(problem("4000000000000010", "1228", null, null, null, null)).startsWith("card.accountType: required");
        var defaulted = validating.validate("", new CardData("4000000000000010", "1228", null, "99", null, null));
        assertThat(defaulted.card().accountType()).isEqualTo("30");
        assertThat(defaulted.requirements().authMethod()).isEqualTo("AMT");
        assertThat(validating.validate("", new CardData("4000000000000010", "1228", null, "10", null, null)).card()
                .accountType()).isEqualTo("10");
        assertThat(problem("4005000000000015", "1228", null, null, null, null)).startsWith("card.cvv: required");
        assertThat(problem("4005000000000015", "1228", "12", null, null, null)).startsWith("card.cvv: required");
        assertThat(problem("4005000000000015", "1228", "123", null, null, null)).isNull();
        assertThat(problem("5100000000000016", "1228", "123", null, null, "JS")).startsWith("card.cardHolderName:");
        assertThat(problem("5100000000000016", "1228", "123", null, null, "A".repeat(27))).startsWith("card.cardHolderName:");
        assertThat(problem("5100000000000016", "1228", "123", null, null, "J Smith")).isNull();
        assertThat(problem("5105000000000011", "1228", null, "20", null, null)).startsWith("card.dateOfBirth: required");
        assertThat(problem("5105000000000011", "1228", null, "20", "1983-07-11", null)).startsWith("card.dateOfBirth: required");
        assertThat(problem("5105000000000011", "1228", null, "20", "19830231", null)).isEqualTo("card.dateOfBirth: not a date (CCYYMMDD)");
        assertThat(problem("5105000000000011", "1228", null, "20", "20300101", null)).isEqualTo("card.dateOfBirth: in the future");
        assertThat(problem("5105000000000011", "1228", null, "20", "19830711", null)).isNull();
        // The card's toString never shows the PAN.
        assertThat(new CardData("5105000000000011", "1228", "123", null, null, null).toString()).doesNotContain("510500");
    }
}
