package io.kulipa.cards;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The card vault: links cards to MSISDNs keeping the PAN encrypted (AES-256-GCM under
 * {@link CardKey}), found by a keyed hash, shown as BIN and last four. It takes no CVV and no
 * PIN: those belong to the issuer and the customer's handset only.
 */
public final class CardVault {

    /** The BIN shown and whitelisted: the first six digits. */
    public static final int BIN_DIGITS = 6;
    public static final int LAST_DIGITS = 4;
    /** At most this many cards per MSISDN. */
    public static final int CARDS_PER_MSISDN_MAX = 10;

    /** What became of a link. */
    public sealed interface Linked {
        record Done(Card card) implements Linked {
        }

        /** The PAN or expiry is not a card's; the message names the field and never the value. */
        record Invalid(String field, String message) implements Linked {
        }

        record TooMany() implements Linked {
        }
    }

    private final CardKey key;
    private final CardStore store;
    private final Clock clock;

    /** @param key null when no key is configured (production without KULIPA_CARD_KEY): no card can be linked */
    public CardVault(CardKey key, CardStore store, Clock clock) {
        this.key = key;
        this.store = store;
        this.clock = clock;
    }

    public boolean available() {
        return key != null;
    }

    /** Links a card; a PAN the MSISDN already linked answers that card. */
    public Linked link(String msisdn, String pan, YearMonth expiry) {
        if (key == null) {
            throw new IllegalStateException("no card key: set KULIPA_CARD_KEY (64 hex digits)");
        }
        if (pan == null || !pan.chars().allMatch(c -> c >= '0' && c <= '9') || !CardKey.PAN_LENGTHS.contains(pan.length())) {
            return new Linked.Invalid("pan", "must be 13 to 19 digits");
        }
        if (!luhn(pan)) {
            return new Linked.Invalid("pan", "fails the Luhn check");
        }
        if (expiry == null) {
            return new Linked.Invalid("expiry", "is required (YYYY-MM)");
        }
        String hash = key.lookupHash(pan);
        List<Card> linked = store.linked(msisdn);
        Optional<Card> same = linked.stream().filter(c -> CardKey.same(c.lookupHash(), hash)).findFirst();
        if (same.isPresent()) {
            return new Linked.Done(same.get());
        }
        if (linked.size() >= CARDS_PER_MSISDN_MAX) {
            return new Linked.TooMany();
        }
        UUID id = UUID.randomUUID();
        Card card = new Card(id, msisdn, pan.substring(0, BIN_DIGITS), pan.substring(pan.length() - LAST_DIGITS),
                expiry, hash, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        return new Linked.Done(store.linkIfAbsent(new CardStore.Sealed(card, key.encrypt(pan, aad(id)), key.id())));
    }

    /**
     * Keeps a card given for one payment without linking it to anyone (a wallet's card details on
     * a purchase): encrypted like a linked one, so the issuer's connector and a later refund find
     * it by id, but no MSISDN's card list shows it. The caller has checked the PAN.
     */
    public Card hold(String msisdn, String pan, YearMonth expiry) {
        if (key == null) {
            throw new IllegalStateException("no card key: set KULIPA_CARD_KEY (64 hex digits)");
        }
        UUID id = UUID.randomUUID();
        Card card = new Card(id, msisdn, pan.substring(0, BIN_DIGITS), pan.substring(pan.length() - LAST_DIGITS),
                expiry, key.lookupHash(pan), clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        store.hold(new CardStore.Sealed(card, key.encrypt(pan, aad(id)), key.id()));
        return card;
    }

    public List<Card> cards(String msisdn) {
        return store.linked(msisdn);
    }

    public Optional<Card> card(UUID id) {
        return store.find(id);
    }

    /** A card by id even after it was delinked (a refund of a purchase made with it). */
    public Optional<Card> cardIncludingDelinked(UUID id) {
        return store.sealed(id).map(CardStore.Sealed::card);
    }

    /** The MSISDN's card with this id, if linked to it. */
    public Optional<Card> cardOf(String msisdn, UUID id) {
        return store.find(id).filter(c -> c.msisdn().equals(msisdn));
    }

    public boolean delink(String msisdn, UUID id) {
        return store.delink(id, msisdn);
    }

    /** The keyed hash of a PAN (how the issuer's simulated accounts are found). */
    public String lookupHash(String pan) {
        if (key == null) {
            throw new IllegalStateException("no card key: set KULIPA_CARD_KEY (64 hex digits)");
        }
        return key.lookupHash(pan);
    }

    /**
     * The clear PAN, for a connector that must send it to a real issuer, and nothing else:
     * never log, store or answer it.
     */
    public String reveal(UUID id) {
        CardStore.Sealed sealed = store.sealed(id).orElseThrow(() -> new IllegalArgumentException("no card " + id));
        if (!sealed.keyId().equals(key.id())) {
            throw new IllegalStateException("card " + id + " was sealed with another card key (" + sealed.keyId() + ")");
        }
        return key.decrypt(sealed.panCiphertext(), aad(id));
    }

    /**
     * Seals a secret Kulipa must use again in clear (a merchant's webhook encryption key) under the
     * same key as the PANs, bound to {@code owner}; answers the ciphertext and the key's id.
     */
    public CardStore.Sealed sealSecret(String secret, UUID owner) {
        if (key == null) {
            throw new IllegalStateException("no card key: set KULIPA_CARD_KEY (64 hex digits)");
        }
        return new CardStore.Sealed(null, key.encrypt(secret, aad(owner)), key.id());
    }

    /** A secret sealed by {@link #sealSecret} for {@code owner}. */
    public String openSecret(byte[] sealed, String keyId, UUID owner) {
        if (key == null || !key.id().equals(keyId)) {
            throw new IllegalStateException("a secret was sealed with another card key (" + keyId + ")");
        }
        return key.decrypt(sealed, aad(owner));
    }

    private static byte[] aad(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    /** The Luhn (mod 10) check digit rule of card numbers. */
    public static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    public YearMonth thisMonth() {
        return YearMonth.now(clock);
    }
}
