package io.kulipa.web.sandbox.demo;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The built-in demo USSD application: a menu in Africa's Talking's protocol that pays with the
 * customer's linked cards through the Scan to Pay WIG API, as any merchant's application would.
 * Stateless: each step is worked out from {@code text}, the inputs so far joined by {@code *}.
 *
 * <pre>
 * ""            CON menu: 1 pay a code, 2 buy airtime, 3 check balance, 4 my cards
 * "1"           CON enter the code          "1*code"   CON which card?   "1*code*n"  END pay
 * "2"           CON enter the amount        "2*amount" CON which card?   "2*amount*n" END buy
 * "3"           CON which card?             "3*n"      END balance
 * "4"           END the linked cards
 * </pre>
 */
public final class DemoUssdApplication {

    static final String MENU = "Kulipa demo (Scan to Pay)\n1. Pay a code\n2. Buy airtime\n3. Check balance\n4. My cards";
    private static final Pattern CODE = Pattern.compile("^[0-9]{10}$");
    private static final Pattern AMOUNT = Pattern.compile("^[1-9][0-9]{0,5}(\\.[0-9]{1,2})?$");
    /** The choice lists at most this many cards, so that the screen stays within 182 characters. */
    static final int CARDS_SHOWN_MAX = 5;
    /** Characters of a USSD screen after its CON/END prefix (the gateway's RunningUssdSession.SCREEN_MAX_CHARS). */
    static final int SCREEN_MAX_CHARS = io.kulipa.ussd.RunningUssdSession.SCREEN_MAX_CHARS;
    /** The session id's characters kept in a merchant reference (Scan to Pay takes at most 64 characters). */
    static final int REFERENCE_ID_MAX_CHARS = 40;

    private final WigApi wig;

    DemoUssdApplication(WigApi wig) {
        this.wig = wig;
    }

    /**
     * The answer to one step, starting {@code CON } or {@code END }.
     *
     * @param sessionId the gateway's session id; an airtime purchase's merchant reference is made of it
     */
    public String answer(String sessionId, String phoneNumber, String text) {
        String msisdn = phoneNumber == null ? "" : phoneNumber.replace("+", "").trim();
        String[] in = text == null || text.isEmpty() ? new String[0] : text.split("\\*", -1);
        try {
            if (in.length == 0) {
                return "CON " + MENU;
            }
            return switch (in[0]) {
                case "1" -> payCode(msisdn, in);
                case "2" -> airtime(msisdn, in, sessionId);
                case "3" -> balance(msisdn, in);
                case "4" -> myCards(msisdn);
                default -> "END Choose 1, 2, 3 or 4. Dial again.";
            };
        } catch (WigApi.WigFailure e) {
            return "END " + fit(e.getMessage());
        }
    }

    private String payCode(String msisdn, String[] in) throws WigApi.WigFailure {
        if (in.length == 1) {
            return "CON Enter the 10-digit Scan to Pay code";
        }
        if (!CODE.matcher(in[1]).matches()) {
            return "END A code has 10 digits. Dial again.";
        }
        if (in.length == 2) {
            return chooseCard(msisdn, "Pay code " + in[1] + " with");
        }
        String card = chosen(msisdn, in[2]);
        if (card == null) {
            return "END No such card. Dial again.";
        }
        return "END " + fit(wig.payCode(msisdn, in[1], card).message());
    }

    private String airtime(String msisdn, String[] in, String sessionId) throws WigApi.WigFailure {
        if (in.length == 1) {
            return "CON Airtime for this number. Enter the amount (R)";
        }
        if (!AMOUNT.matcher(in[1]).matches()) {
            return "END An amount such as 50 or 12.50. Dial again.";
        }
        if (in.length == 2) {
            return chooseCard(msisdn, "Buy R" + in[1] + " airtime with");
        }
        String card = chosen(msisdn, in[2]);
        if (card == null) {
            return "END No such card. Dial again.";
        }
        return "END " + fit(wig.buyAirtime(msisdn, in[1], card, reference(sessionId)).message());
    }

    private String balance(String msisdn, String[] in) throws WigApi.WigFailure {
        if (in.length == 1) {
            return chooseCard(msisdn, "Balance of");
        }
        String card = chosen(msisdn, in[1]);
        if (card == null) {
            return "END No such card. Dial again.";
        }
        return "END " + fit(wig.balance(msisdn, card).message());
    }

    private String myCards(String msisdn) throws WigApi.WigFailure {
        List<WigApi.LinkedCard> cards = wig.cards(msisdn);
        if (cards.isEmpty()) {
            return "END No card is linked to this number.";
        }
        StringBuilder s = new StringBuilder("Your cards:");
        cards.stream().limit(CARDS_SHOWN_MAX).forEach(c -> s.append('\n').append(c.label()));
        return "END " + fit(s.toString());
    }

    private String chooseCard(String msisdn, String heading) throws WigApi.WigFailure {
        List<WigApi.LinkedCard> cards = wig.cards(msisdn);
        if (cards.isEmpty()) {
            return "END No card is linked to this number.";
        }
        String full = choice(heading, cards, false);
        // A menu is never cut: when the labels do not fit, each is shortened to its first word.
        return "CON " + (full.length() <= SCREEN_MAX_CHARS ? full : fit(choice(heading, cards, true)));
    }

    private static String choice(String heading, List<WigApi.LinkedCard> cards, boolean shortened) {
        StringBuilder s = new StringBuilder(heading).append(':');
        for (int i = 0; i < Math.min(cards.size(), CARDS_SHOWN_MAX); i++) {
            String label = cards.get(i).label();
            s.append('\n').append(i + 1).append(". ").append(shortened ? label.split(" ", 2)[0] : label);
        }
        return s.toString();
    }

    /** The merchant reference of an airtime purchase: the session's, so that the merchant can trace it. */
    static String reference(String sessionId) {
        String id = sessionId == null ? "" : sessionId.replaceAll("[^A-Za-z0-9_-]", "");
        return "ussd-" + (id.length() > REFERENCE_ID_MAX_CHARS ? id.substring(id.length() - REFERENCE_ID_MAX_CHARS) : id);
    }

    /** The id of the card chosen by its number in the list, or null. */
    private String chosen(String msisdn, String choice) throws WigApi.WigFailure {
        List<WigApi.LinkedCard> cards = wig.cards(msisdn);
        try {
            int n = Integer.parseInt(choice);
            return n >= 1 && n <= Math.min(cards.size(), CARDS_SHOWN_MAX) ? cards.get(n - 1).id() : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A USSD screen holds 182 characters (CON/END prefix not counted). */
    private static String fit(String text) {
        String t = text == null ? "" : text;
        return t.length() <= SCREEN_MAX_CHARS ? t : t.substring(0, SCREEN_MAX_CHARS - 3) + "...";
    }
}
