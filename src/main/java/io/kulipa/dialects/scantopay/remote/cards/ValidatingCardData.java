package io.kulipa.dialects.scantopay.remote.cards;

import io.kulipa.cards.CardVault;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Set;

/**
 * The card data rules of the Remote API's business rules: a PAN of 14 to 19 digits, Luhn-valid;
 * an expiry {@code MMYY} not in the past (a card is valid through its expiry month, in UTC); and,
 * when the card's BIN requires them, a CVV (3 or 4 digits), an account type (10 savings, 20
 * current, 30 credit; anything else is taken as 30, as the rules say), a date of birth
 * {@code CCYYMMDD} (a real date, not in the future) and a cardholder name of 3 to 26 characters.
 * A card of no known BIN is refused. Each refusal names its field under {@code prefix}.
 */
public final class ValidatingCardData {

    public static final int PAN_MIN_DIGITS = 14;
    public static final int PAN_MAX_DIGITS = 19;
    public static final int NAME_MIN_CHARS = 3;
    public static final int NAME_MAX_CHARS = 26;
    public static final String DEFAULT_ACCOUNT_TYPE = "30";
    static final Set<String> ACCOUNT_TYPES = Set.of("10", "20", "30");
    private static final DateTimeFormatter BIRTH = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);

    /** The card as it goes on (account type defaulted), its BIN's requirements, or why it is refused. */
    public record Result(CardData card, CardRequirements requirements, String problem) {
        public boolean refused() {
            return problem != null;
        }
    }

    private final BinTable bins;
    private final Clock clock;

    public ValidatingCardData(BinTable bins, Clock clock) {
        this.bins = bins;
        this.clock = clock;
    }

    public Result validate(String prefix, CardData c) {
        String p = prefix.isEmpty() ? "" : prefix + ".";
        String pan = c.pan();
        if (pan == null || pan.isBlank()) {
            return refuse(p + "pan: required");
        }
        if (!pan.matches("[0-9]+")) {
            return refuse(p + "pan: digits only");
        }
        if (pan.length() < PAN_MIN_DIGITS || pan.length() > PAN_MAX_DIGITS) {
            return refuse(p + "pan: " + PAN_MIN_DIGITS + " to " + PAN_MAX_DIGITS + " digits");
        }
        if (!CardVault.luhn(pan)) {
            return refuse(p + "pan: fails the Luhn check");
        }
        String expiryProblem = expiryProblem(c.expiry());
        if (expiryProblem != null) {
            return refuse(p + "expiry: " + expiryProblem);
        }
        var found = bins.of(pan);
        if (found.isEmpty()) {
            return refuse(p + "pan: no card scheme or issuer of this BIN takes Remote API purchases");
        }
        CardRequirements r = found.get();
        if (r.cvvNeeded() && (c.cvv() == null || !c.cvv().matches("[0-9]{3,4}"))) {
            return refuse(p + "cvv: required for this card, 3 or 4 digits");
        }
        String account = c.accountType();
        if (r.accNeeded()) {
            if (account == null || account.isBlank()) {
                return refuse(p + "accountType: required for this card: 10 (savings), 20 (current) or 30 (credit)");
            }
        }
        if (account != null && !ACCOUNT_TYPES.contains(account.strip())) {
            account = DEFAULT_ACCOUNT_TYPE;
        }
        if (account == null) {
            account = DEFAULT_ACCOUNT_TYPE;
        }
        if (r.dobNeeded()) {
            String dob = c.dateOfBirth();
            if (dob == null || !dob.matches("[0-9]{8}")) {
                return refuse(p + "dateOfBirth: required for this card, CCYYMMDD");
            }
            try {
                if (LocalDate.parse(dob, BIRTH).isAfter(LocalDate.now(clock.withZone(ZoneOffset.UTC)))) {
                    return refuse(p + "dateOfBirth: in the future");
                }
            } catch (DateTimeParseException e) {
                return refuse(p + "dateOfBirth: not a date (CCYYMMDD)");
            }
        }
        if (r.cardHolderNameNeeded()) {
            String name = c.cardHolderName() == null ? "" : c.cardHolderName().strip();
            if (name.length() < NAME_MIN_CHARS || name.length() > NAME_MAX_CHARS) {
                return refuse(p + "cardHolderName: required for this card, " + NAME_MIN_CHARS + " to "
                        + NAME_MAX_CHARS + " characters");
            }
        }
        return new Result(new CardData(pan, c.expiry(), c.cvv(), account.strip(), c.dateOfBirth(),
                c.cardHolderName() == null ? null : c.cardHolderName().strip()), r, null);
    }

    private String expiryProblem(String expiry) {
        if (expiry == null || expiry.isBlank()) {
            return "required, MMYY";
        }
        if (!expiry.matches("(0[1-9]|1[0-2])[0-9]{2}")) {
            return "must be MMYY";
        }
        YearMonth card = YearMonth.of(2000 + Integer.parseInt(expiry.substring(2)), Integer.parseInt(expiry.substring(0, 2)));
        return card.isBefore(YearMonth.now(clock.withZone(ZoneOffset.UTC))) ? "the card has expired" : null;
    }

    private static Result refuse(String problem) {
        return new Result(null, null, problem);
    }
}
