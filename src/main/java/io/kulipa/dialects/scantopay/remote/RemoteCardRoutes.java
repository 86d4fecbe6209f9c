package io.kulipa.dialects.scantopay.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.cards.Card;
import io.kulipa.dialects.scantopay.remote.cards.CardData;
import io.kulipa.dialects.scantopay.remote.managers.Manager;
import io.kulipa.dialects.scantopay.remote.managers.ManagerStore;
import io.kulipa.dialects.scantopay.remote.managers.Msisdns;
import io.kulipa.dialects.scantopay.remote.purchases.ProvisioningCards;
import io.kulipa.logging.Failures;
import io.kulipa.web.Routes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Card provisioning of the Remote API: link a card to the wallet profile of an MSISDN, list the
 * profile's cards, remove one. The PAN arrives only on link, goes to the vault encrypted and is
 * never answered, logged or echoed back.
 */
final class RemoteCardRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteCardRoutes.class);
    static final String LINK = RemoteRoutes.BASE + "/cards/link";
    static final String LIST = RemoteRoutes.BASE + "/cards/list";
    static final String REMOVE = RemoteRoutes.BASE + "/cards/remove";

    private final RemoteRequests requests;
    private final ManagerStore managers;
    private final ProvisioningCards provisioning;
    private final Clock clock;

    RemoteCardRoutes(RemoteRequests requests, ManagerStore managers, ProvisioningCards provisioning, Clock clock) {
        this.requests = requests;
        this.managers = managers;
        this.provisioning = provisioning;
        this.clock = clock;
    }

    @FunctionalInterface
    private interface Action {
        void run(Context ctx, Manager manager, JsonNode body, String msisdn);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(LINK, requests.post((ctx, m) -> guarded(ctx, m, this::link)));
        routes.post(LIST, requests.post((ctx, m) -> guarded(ctx, m, this::list)));
        routes.post(REMOVE, requests.post((ctx, m) -> guarded(ctx, m, this::remove)));
    }

    private void guarded(Context ctx, Manager manager, Action action) {
        try {
            var read = RemoteRequests.object(ctx);
            if (read.isEmpty()) {
                return;
            }
            String msisdn = RemoteRequests.text(read.get(), "msisdn");
            String problem = msisdn == RemoteRequests.WRONG ? RemoteRequests.wrong("msisdn") : Msisdns.problem(msisdn);
            if (problem != null) {
                RemoteErrors.badRequest(ctx, problem);
                return;
            }
            String wallet = Msisdns.international(msisdn).orElseThrow();
            managers.profile(manager.brandId(), wallet, clock.instant());
            action.run(ctx, manager, read.get(), wallet);
        } catch (RuntimeException e) {
            LOG.error("Remote API call {} failed: {}", ctx.path(), Failures.describe(e));
            RemoteErrors.answer(ctx, 500, RemoteErrors.ERROR, "the request could not be processed; it is safe to retry");
        }
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
