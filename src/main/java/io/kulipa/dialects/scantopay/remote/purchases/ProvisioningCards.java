package io.kulipa.dialects.scantopay.remote.purchases;

import io.kulipa.cards.Card;
import io.kulipa.cards.CardVault;
import io.kulipa.dialects.scantopay.remote.cards.BinTable;
import io.kulipa.dialects.scantopay.remote.cards.CardData;
import io.kulipa.dialects.scantopay.remote.cards.ValidatingCardData;
import io.kulipa.providers.simulator.IssuerCard;
import io.kulipa.providers.simulator.SimulatedIssuers;
import java.util.List;
import java.util.UUID;

/**
 * Card provisioning: the only way a card becomes the wallet profile's (a purchase never links
 * one). The card is checked by the same card data rules as a purchase, then kept in the card
 * vault under the wallet profile ({@link PurchasingTransaction#walletOwner}: this brand's profile
 * of the MSISDN, never the MSISDN's USSD cards), PAN encrypted, shown as BIN and last four.
 * A later purchase names it by {@code cardId}.
 */
public final class ProvisioningCards {

    public sealed interface Result {
        record Linked(Card card) implements Result {
        }

        record BadRequest(String message) implements Result {
        }

        record Refused(String message) implements Result {
        }
    }

    private final CardVault vault;
    private final ValidatingCardData validating;
    private final BinTable bins;
    private final SimulatedIssuers issuers;
    private final boolean sandbox;

    public ProvisioningCards(CardVault vault, ValidatingCardData validating, BinTable bins, SimulatedIssuers issuers,
                             boolean sandbox) {
        this.vault = vault;
        this.validating = validating;
        this.bins = bins;
        this.issuers = issuers;
        this.sandbox = sandbox;
    }

    public Result link(UUID brandId, String msisdn, CardData data) {
        if (!vault.available()) {
            return new Result.Refused("pan: cards cannot be linked on this gateway (it has no card key)");
        }
        ValidatingCardData.Result checked = validating.validate("", data);
        if (checked.refused()) {
            return new Result.BadRequest(checked.problem());
        }
        CardData c = checked.card();
        var linked = vault.link(PurchasingTransaction.walletOwner(brandId, msisdn), c.pan(),
                PurchasingTransaction.expiry(c.expiry()));
        return switch (linked) {
            case CardVault.Linked.Done d -> {
                if (sandbox && issuers.account(d.card().lookupHash()).isEmpty()) {
                    issuers.openAccount(new IssuerCard(d.card().lookupHash(), d.card().bin(), d.card().last4(),
                            d.card().expiry()), PurchasingTransaction.SANDBOX_PIN, PurchasingTransaction.SANDBOX_BALANCE,
                            java.math.BigDecimal.ZERO, null);
                }
                yield new Result.Linked(d.card());
            }
            case CardVault.Linked.Invalid i -> new Result.BadRequest(i.field() + ": " + i.message());
            case CardVault.Linked.TooMany t -> new Result.Refused("msisdn: at most " + CardVault.CARDS_PER_MSISDN_MAX
                    + " cards may be linked to a wallet profile");
        };
    }

    public List<Card> cards(UUID brandId, String msisdn) {
        return vault.cards(PurchasingTransaction.walletOwner(brandId, msisdn));
    }

    public boolean remove(UUID brandId, String msisdn, UUID cardId) {
        return vault.delink(PurchasingTransaction.walletOwner(brandId, msisdn), cardId);
    }

    /** The card's authMethod (AMT or 3DS) from the BIN table. */
    public String authMethod(Card c) {
        return bins.of(c.bin()).map(r -> r.authMethod()).orElse(null);
    }
}
