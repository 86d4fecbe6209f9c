package io.kulipa.cards;

import io.kulipa.money.Amount;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentRequest;
import io.kulipa.payments.Rejection;
import io.kulipa.providers.simulator.SimulatedIssuers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A card purchase as an ordinary deposit of the core on the card correspondent
 * ({@link SimulatedIssuers#CORRESPONDENT}, ZAR): the card must be linked to the customer's
 * MSISDN and not expired; the payment carries the card's id, BIN and last four as metadata (never
 * the PAN), so the issuer's connector finds the card and dialects can show it. Idempotency,
 * limits, the ledger (the merchant's ZAR wallet credited from CARD_ZAF's settlement account) and
 * the outbox are the core's.
 */
public final class InitiatingCardPayment {

    public static final String CURRENCY = "ZAR";
    public static final String COUNTRY = "ZAF";
    /** The metadata fields a card payment carries. */
    public static final String CARD_ID = "cardId";
    public static final String CARD_BIN = "cardBin";
    public static final String CARD_LAST4 = "cardLast4";

    /**
     * @param cardId     the card to pay with; null picks the MSISDN's first linked card
     * @param metadata   the dialect's own fields, kept with the payment
     * @param description what the customer's prompt and statement say (the merchant's name)
     */
    public record Purchase(Merchant merchant, String dialect, String clientRef, String msisdn, UUID cardId,
                           Amount amount, String description, List<Payment.MetadataItem> metadata,
                           String fingerprint, String callbackUrl) {
    }

    public sealed interface Result {
        record Accepted(Payment payment, Card card) implements Result {
        }

        record Duplicate(Payment original) implements Result {
        }

        /** The MSISDN has no such card (or none at all). */
        record NoCard() implements Result {
        }

        record Expired(Card card) implements Result {
        }

        record Rejected(Rejection rejection) implements Result {
        }
    }

    private final CardVault vault;
    private final InitiatingPayment initiating;

    public InitiatingCardPayment(CardVault vault, InitiatingPayment initiating) {
        this.vault = vault;
        this.initiating = initiating;
    }

    public CardVault vault() {
        return vault;
    }

    /** The card a purchase would use: the named one if linked to the MSISDN, else the first linked. */
    public Optional<Card> cardFor(String msisdn, UUID cardId) {
        return cardId != null ? vault.cardOf(msisdn, cardId) : vault.cards(msisdn).stream().findFirst();
    }

    public Result initiate(Purchase p) {
        Optional<Card> card = cardFor(p.msisdn(), p.cardId());
        if (card.isEmpty()) {
            return new Result.NoCard();
        }
        return initiateWith(p, card.get(), null);
    }

    /**
     * A purchase with a card the caller found itself (a wallet's linked card, or one held for this
     * payment only), whose cardholder may have been verified already: {@code verification} is
     * then the issuer's id of it ({@link SimulatedIssuers#VERIFICATION_PREFIX}), kept as the
     * payment's pre-authorisation code.
     */
    public Result initiateWith(Purchase p, Card card, String verification) {
        if (card.expiredAt(vault.thisMonth())) {
            return new Result.Expired(card);
        }
        List<Payment.MetadataItem> metadata = new ArrayList<>(p.metadata());
        metadata.add(new Payment.MetadataItem(CARD_ID, card.id().toString(), false));
        metadata.add(new Payment.MetadataItem(CARD_BIN, card.bin(), false));
        metadata.add(new Payment.MetadataItem(CARD_LAST4, card.last4(), false));
        PaymentRequest request = new PaymentRequest(p.merchant(), PaymentKind.DEPOSIT, p.clientRef(), p.dialect(),
                p.amount(), CURRENCY, COUNTRY, SimulatedIssuers.CORRESPONDENT, p.msisdn(), null, p.description(),
                verification, metadata, p.fingerprint(), p.callbackUrl(), null);
        return switch (initiating.initiate(request)) {
            case InitiatingPayment.Result.Accepted a -> new Result.Accepted(a.payment(), card);
            case InitiatingPayment.Result.Duplicate d -> new Result.Duplicate(d.original());
            case InitiatingPayment.Result.Rejected r -> new Result.Rejected(r.rejection());
        };
    }

    /** The card id a card payment carries, if it is one. */
    public static Optional<UUID> cardOf(Payment p) {
        return p.metadata().stream().filter(m -> m.fieldName().equals(CARD_ID)).findFirst()
                .map(m -> UUID.fromString(m.fieldValue()));
    }
}
