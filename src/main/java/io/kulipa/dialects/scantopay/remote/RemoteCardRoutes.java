package io.kulipa.dialects.scantopay.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.cards.Card;
import io.kulipa.dialects.scantopay.remote.cards.CardData;
import io.kulipa.dialects.scantopay.remote.managers.Manager;
import io.kulipa.dialects.scantopay.remote.managers.ManagerStore;
import io.kulipa.dialects.scantopay.remote.purchases.ProvisioningCards;
import io.kulipa.web.Routes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Card provisioning of the Remote API: link a card to the wallet profile of an MSISDN, list the
 * profile's cards, remove one. The PAN arrives only on link, goes to the vault encrypted and is
 * never answered, logged or echoed back.
 */
final class RemoteCardRoutes implements Routes {

    /** The 500's advice. */
    private static final String RETRY = "the request could not be processed; it is safe to retry";
    static final String LINK = RemoteRoutes.BASE + "/cards/link";
    static final String LIST = RemoteRoutes.BASE + "/cards/list";
    static final String REMOVE = RemoteRoutes.BASE + "/cards/remove";

    private final RemoteRequests requests;
    private final WalletCalls wallets;
    private final ProvisioningCards provisioning;

    RemoteCardRoutes(RemoteRequests requests, ManagerStore managers, ProvisioningCards provisioning, Clock clock) {
        this.requests = requests;
        this.wallets = new WalletCalls(managers, clock);
        this.provisioning = provisioning;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(LINK, requests.post((ctx, m) -> wallets.run(ctx, m, this::link, RETRY)));
        routes.post(LIST, requests.post((ctx, m) -> wallets.run(ctx, m, this::list, RETRY)));
        routes.post(REMOVE, requests.post((ctx, m) -> wallets.run(ctx, m, this::remove, RETRY)));
    }

    private void link(Context ctx, Manager manager, JsonNode body, String msisdn) {
        CardData card = RemoteRoutes.card(ctx, body);
        if (card == null) {
            return;
        }
        switch (provisioning.link(manager.brandId(), msisdn, card)) {
            case ProvisioningCards.Result.BadRequest b -> RemoteErrors.badRequest(ctx, b.message());
            case ProvisioningCards.Result.Refused r -> RemoteErrors.error(ctx, r.message());
            case ProvisioningCards.Result.Linked l -> {
                Map<String, Object> out = view(l.card());
                out.put("status", "SUCCESS");
                out.put("msisdn", msisdn);
                ctx.json(out);
            }
        }
    }

    private void list(Context ctx, Manager manager, JsonNode body, String msisdn) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "SUCCESS");
        out.put("msisdn", msisdn);
        out.put("cards", provisioning.cards(manager.brandId(), msisdn).stream().map(this::view).toList());
        ctx.json(out);
    }

    private void remove(Context ctx, Manager manager, JsonNode body, String msisdn) {
        String id = RemoteRequests.text(body, "cardId");
        UUID cardId;
        try {
            cardId = UUID.fromString(id == null || id == RemoteRequests.WRONG ? "" : id.strip());
        } catch (IllegalArgumentException e) {
            RemoteErrors.badRequest(ctx, "cardId: required, the id of a card linked to the wallet profile");
            return;
        }
        if (!provisioning.remove(manager.brandId(), msisdn, cardId)) {
            RemoteErrors.error(ctx, "cardId: no card with this id is linked to this wallet profile");
            return;
        }
        ctx.json(Map.of("status", "SUCCESS", "msisdn", msisdn, "cardId", cardId.toString()));
    }

    private Map<String, Object> view(Card c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "SUCCESS");
        out.put("cardId", c.id().toString());
        out.put("maskedPan", c.masked());
        out.put("bin", c.bin());
        out.put("last4", c.last4());
        out.put("expiry", String.format("%02d%02d", c.expiry().getMonthValue(), c.expiry().getYear() % 100));
        out.put("authMethod", provisioning.authMethod(c));
        out.put("linkedAt", c.linkedAt().toString());
        return out;
    }
}
