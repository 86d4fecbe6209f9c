package io.kulipa.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How an application's answer is read as a screen, and how dialled strings are read, at their edges. */
class ScreensTest {

    static RunningUssdSession.Screen read(int status, String body) {
        return RunningUssdSession.screen(new ApplicationClient.Reply.Answered(status, body, false), "http://app/");
    }

    @Test
    void conAndEndAreReadWithASpaceANewlineOrNothingAfterThem() {
        assertThat(read(200, "CON Menu\n1. A")).isEqualTo(new RunningUssdSession.Screen(UssdSession.State.OPEN,
                "Menu\n1. A", null));
        assertThat(read(200, "CON\nMenu").text()).isEqualTo("Menu");
        assertThat(read(200, "  END Bye  \n").state()).isEqualTo(UssdSession.State.ENDED);
        assertThat(read(200, "  END Bye  \n").text()).isEqualTo("Bye");
        assertThat(read(200, "END").text()).isEmpty();
        assertThat(read(201, "END ok").state()).isEqualTo(UssdSession.State.ENDED);
        for (String bad : List.of("CONTINUE", "con menu", "ENDING", "", "OK", "<html>")) {
            assertThat(read(200, bad).state()).as(bad).isEqualTo(UssdSession.State.FAILED);
            assertThat(read(200, bad).error()).as(bad).contains("neither 'CON ' nor 'END '");
        }
        assertThat(read(302, "CON x").error()).contains("HTTP 302");
    }

    @Test
    void aScreenHoldsExactly182Characters() {
        assertThat(read(200, "CON " + "x".repeat(RunningUssdSession.SCREEN_MAX_CHARS)).state())
                .isEqualTo(UssdSession.State.OPEN);
        assertThat(read(200, "CON " + "x".repeat(RunningUssdSession.SCREEN_MAX_CHARS + 1)).error())
                .contains("183 characters");
        assertThat(RunningUssdSession.screen(new ApplicationClient.Reply.Answered(200, "CON x", true), "u").error())
                .contains("more than " + RunningUssdSession.BODY_MAX_CHARS);
        assertThat(RunningUssdSession.screen(new ApplicationClient.Reply.NoAnswer("connection refused"), "http://a/")
                .error()).isEqualTo("the application at http://a/ did not answer: connection refused");
    }

    @Test
    void dialledStringsAndRegistrableCodes() {
        assertThat(ServiceCode.parse("*120*777#")).map(ServiceCode::toString).contains("*120*777#");
        assertThat(ServiceCode.parse(" *120 *777# ")).map(ServiceCode::toString).contains("*120*777#");
        for (String bad : List.of("120#", "*120*777", "**120#", "*120**1#", "*#", "*12a#", "*" + "1".repeat(40) + "#")) {
            assertThat(ServiceCode.parse(bad)).as(bad).isEmpty();
        }
        ServiceCode dialled = ServiceCode.parse("*120*777*1*22#").orElseThrow();
        assertThat(dialled.prefixes()).extracting(ServiceCode::toString)
                .containsExactly("*120*777*1*22#", "*120*777*1#", "*120*777#", "*120#");
        assertThat(dialled.after(ServiceCode.parse("*120*777#").orElseThrow())).containsExactly("1", "22");
        assertThat(ServiceCode.registrable("*1*2*3*4#")).isPresent();
        assertThat(ServiceCode.registrable("*1*2*3*4*5#")).isEmpty();
        assertThat(ServiceCode.registrable("*1234567#")).isEmpty();
        assertThat(ServiceCode.parse(null)).isEqualTo(Optional.empty());
    }

    @Test
    void networkCodesComeFromTheNumbersRange() {
        NetworkCodes codes = NetworkCodes.loadDefault();
        assertThat(codes.of("254712345678")).isEqualTo("63902");
        assertThat(codes.of("256770000001")).isEqualTo("64110");
        assertThat(codes.of("256700000001")).isEqualTo("64101");
        assertThat(codes.of("27831234567")).isEqualTo("65510");
        assertThat(codes.of("27821234567")).isEqualTo("65501");
        assertThat(codes.of("999")).isEqualTo(NetworkCodes.UNKNOWN);
    }
}
