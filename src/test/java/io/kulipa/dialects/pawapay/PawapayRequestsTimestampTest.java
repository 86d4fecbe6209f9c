package io.kulipa.dialects.pawapay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast customerTimestamp check agrees with the JDK's RFC 3339 parse it replaced (issue 14). */
class PawapayRequestsTimestampTest {

    private static boolean jdk(String t) {
        if (!t.matches("^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$")) {
            return false;
        }
        try {
            OffsetDateTime.parse(t.toUpperCase(java.util.Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    @Test
    void knownCases() {
        assertTrue(PawapayRequests.rfc3339("2020-02-21T17:32:28Z"));
        assertTrue(PawapayRequests.rfc3339("2020-02-29t23:59:59.123456789+18:00"));
        assertTrue(PawapayRequests.rfc3339("2021-12-31T00:00:00-00:00"));
        assertFalse(PawapayRequests.rfc3339("2020-02-30T17:32:28Z"), "no 30 February");
        assertFalse(PawapayRequests.rfc3339("2021-02-29T17:32:28Z"), "2021 is no leap year");
        assertFalse(PawapayRequests.rfc3339("2020-02-21T24:00:00Z"));
        assertFalse(PawapayRequests.rfc3339("2020-02-21T17:60:00Z"));
        assertFalse(PawapayRequests.rfc3339("2020-02-21T17:32:60Z"));
        assertFalse(PawapayRequests.rfc3339("2020-02-21T17:32:28+18:01"));
        assertFalse(PawapayRequests.rfc3339("2020-02-21T17:32:28+02:60"));
        assertFalse(PawapayRequests.rfc3339("2020-13-01T17:32:28Z"));
        assertFalse(PawapayRequests.rfc3339("2020-00-01T17:32:28Z"));
        assertFalse(PawapayRequests.rfc3339("2020-02-21T17:32:28"));
        assertFalse(PawapayRequests.rfc3339("2020-02-21"));
    }

    @Test
    void agreesWithTheJdkOnRandomDateTimes() {
        Random random = new Random(14);
        for (int i = 0; i < 200_000; i++) {
            String t = String.format("%04d-%02d-%02d%s%02d:%02d:%02d%s%s", random.nextInt(10_000),
                    random.nextInt(15), random.nextInt(33), random.nextBoolean() ? "T" : "t", random.nextInt(26),
                    random.nextInt(62), random.nextInt(62),
                    random.nextInt(3) == 0 ? "." + (random.nextInt(999_999_999) + 1) : "",
                    switch (random.nextInt(4)) {
                        case 0 -> "Z";
                        case 1 -> "z";
                        default -> String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
                                random.nextInt(20), random.nextInt(62));
                    });
            assertEquals(jdk(t), PawapayRequests.rfc3339(t), t);
        }
    }
}
