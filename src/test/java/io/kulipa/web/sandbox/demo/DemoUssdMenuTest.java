package io.kulipa.web.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo USSD application's menu, step by step from {@code text}, over a WIG API of the test's own. */
class DemoUssdMenuTest {

    final List<String> calls = new ArrayList<>();
    final WigApi wig = new WigApi() {
        @Override
        public List<LinkedCard> cards(String msisdn) {
            return msisdn.equals("27830000000") ? List.of() : List.of(new LinkedCard("c-1", "VISA 411111******1111"),
                    new LinkedCard("c-2", "MC 520000******0007"));
        }

        @Override
        public Outcome payCode(String msisdn, String code, String cardId) {
            calls.add("code " + msisdn + " " + code + " " + cardId);
            return new Outcome(true, "Enter your card PIN on the prompt that follows.");
        }

        @Override
        public Outcome buyAirtime(String msisdn, String amount, String cardId, String reference) {
            calls.add("airtime " + msisdn + " " + amount + " " + cardId + " " + reference);
            return new Outcome(true, "Enter your card PIN on the prompt that follows.");
        }

        @Override
        public Outcome balance(String msisdn, String cardId) throws WigFailure {
            if (cardId.equals("c-2")) {
                throw new WigFailure("The bank is offline. Try again later.");
            }
            return new Outcome(true, "Balance: R1000.00");
        }
    };
    final DemoUssdApplication app = new DemoUssdApplication(wig);

    @Test
    void payingACodeAsksTheCodeThenTheCard() {
        assertThat(app.answer("ATUid_test", "+27831234567", "")).startsWith("CON Kulipa demo").contains("1. Pay a code");
        assertThat(app.answer("ATUid_test", "+27831234567", "1")).isEqualTo("CON Enter the 10-digit Scan to Pay code");
        assertThat(app.answer("ATUid_test", "+27831234567", "1*0123456789")).isEqualTo(
                "CON Pay code 0123456789 with:\n1. VISA 411111******1111\n2. MC 520000******0007");
        assertThat(app.answer("ATUid_test", "+27831234567", "1*0123456789*2")).startsWith("END Enter your card PIN");
        assertThat(calls).containsExactly("code 27831234567 0123456789 c-2");
        assertThat(app.answer("ATUid_test", "+27831234567", "1*12345")).startsWith("END A code has 10 digits");
        assertThat(app.answer("ATUid_test", "+27831234567", "1*0123456789*3")).startsWith("END No such card");
    }

    @Test
    void airtimeBalanceAndCards() {
        assertThat(app.answer("ATUid_test", "+27831234567", "2")).startsWith("CON Airtime");
        assertThat(app.answer("ATUid_test", "+27831234567", "2*50")).startsWith("CON Buy R50 airtime with:");
        app.answer("ATUid_test", "+27831234567", "2*50*1");
        assertThat(calls).containsExactly("airtime 27831234567 50 c-1 ussd-ATUid_test");
        assertThat(app.answer("ATUid_test", "+27831234567", "2*-5")).startsWith("END An amount");
        assertThat(app.answer("ATUid_test", "+27831234567", "3*1")).isEqualTo("END Balance: R1000.00");
        assertThat(app.answer("ATUid_test", "+27831234567", "3*2")).isEqualTo("END The bank is offline. Try again later.");
        assertThat(app.answer("ATUid_test", "+27831234567", "4")).isEqualTo("END Your cards:\nVISA 411111******1111\nMC 520000******0007");
        assertThat(app.answer("ATUid_test", "+27830000000", "1*0123456789")).isEqualTo("END No card is linked to this number.");
        assertThat(app.answer("ATUid_test", "+27831234567", "9")).startsWith("END Choose 1, 2, 3 or 4");
    }
    @Test
    void aCardChoiceThatWouldNotFitShowsTheCardsShortLabelsAndIsNeverCut() {
        WigApi many = new WigApi() {
            @Override
            public List<LinkedCard> cards(String msisdn) {
                return java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(i -> new LinkedCard("c-" + i,
                        "****000" + i + " Ubuntu Savings Bank of the Karoo")).toList();
            }

            @Override
            public Outcome payCode(String msisdn, String code, String cardId) {
                return new Outcome(true, "paid with " + cardId);
            }

            @Override
            public Outcome buyAirtime(String msisdn, String amount, String cardId, String reference) {
                return new Outcome(true, "airtime with " + cardId);
            }

            @Override
            public Outcome balance(String msisdn, String cardId) {
                return new Outcome(true, "balance of " + cardId);
            }
        };
        DemoUssdApplication app = new DemoUssdApplication(many);
        String screen = app.answer("ATUid_x", "+27831234567", "2*499.99");
        assertThat(screen).isEqualTo("CON Buy R499.99 airtime with:\n1. ****0001\n2. ****0002\n3. ****0003\n4. ****0004\n"
                + "5. ****0005");
        assertThat(screen.length() - "CON ".length()).isLessThanOrEqualTo(DemoUssdApplication.SCREEN_MAX_CHARS);
        assertThat(app.answer("ATUid_x", "+27831234567", "2*499.99*5")).isEqualTo("END airtime with c-5");
        assertThat(app.answer("ATUid_x", "+27831234567", "2*499.99*6")).startsWith("END No such card");
        assertThat(DemoUssdApplication.reference("ATUid_" + "f".repeat(32))).isEqualTo("ussd-ATUid_" + "f".repeat(32))
                .hasSizeLessThanOrEqualTo(64);
    }
}
