package io.kulipa.dialects.scantopay.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.dialects.scantopay.remote.cards.BinTable;
import io.kulipa.dialects.scantopay.remote.cards.CardData;
import io.kulipa.dialects.scantopay.remote.cards.CardRequirements;
import io.kulipa.dialects.scantopay.remote.cards.ValidatingCardData;
import io.kulipa.dialects.scantopay.remote.managers.Manager;
import io.kulipa.dialects.scantopay.remote.managers.ManagerStore;
import io.kulipa.dialects.scantopay.remote.managers.Msisdns;
import io.kulipa.dialects.scantopay.remote.pins.PinKey;
import io.kulipa.dialects.scantopay.remote.secure.AnsweringAcsChallenge;
import io.kulipa.dialects.scantopay.remote.secure.StartingSecureCode;
import io.kulipa.web.Routes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The Scan to Pay Remote API v4 under {@link #BASE}: the PIN-encryption key, BIN look-up and the
 * 3-D Secure look-up with its simulated ACS page (the page is for the customer in the wallet's
 * WebView, so it is reached with the unguessable secureCodeId, not with the manager's credentials).
 */
final class RemoteRoutes implements Routes {

    static final String BASE = "/pluto/remote/v4";
    static final String PIN_KEY = BASE + "/pinKey";
    static final String BIN_LOOKUP = BASE + "/binLookup";
    static final String SECURE_CODE_LOOKUP = BASE + "/secureCodeLookup";
    static final String ACS = BASE + "/acs/{secureCodeId}";
    static final String MENU = BASE + "/menu";
    /** A transactionId is Kulipa's own short id; anything longer is not one. */
    static final int TRANSACTION_ID_MAX_CHARS = 64;

    private final RemoteRequests requests;
    private final ManagerStore managers;
    private final BinTable bins;
    private final ValidatingCardData validating;
    /** The card vault's keyed lookup hash of a PAN: the one hash a card is known by. */
    private final Function<String, String> hashes;
    private final PinKey pinKey;
    private final StartingSecureCode starting;
    private final AnsweringAcsChallenge answering;
    private final Function<Context, String> publicUrl;
    private final Clock clock;
    private final io.kulipa.dialects.scantopay.remote.vas.VasMenus menus;
    /** Whether (brand id, MSISDN, transactionId) is a lookup that may still be bought. */
    private final java.util.function.Predicate<String[]> lookedUp;

    RemoteRoutes(io.kulipa.dialects.scantopay.remote.vas.VasMenus menus, RemoteRequests requests, ManagerStore managers, BinTable bins, ValidatingCardData validating,
                 Function<String, String> hashes, PinKey pinKey, StartingSecureCode starting, AnsweringAcsChallenge answering,
                 Function<Context, String> publicUrl, Clock clock, java.util.function.Predicate<String[]> lookedUp) {
        this.lookedUp = lookedUp;
        this.requests = requests;
        this.managers = managers;
        this.bins = bins;
        this.validating = validating;
        this.hashes = hashes;
        this.pinKey = pinKey;
        this.starting = starting;
        this.answering = answering;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.menus = menus;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PIN_KEY, this::pinKey);
        routes.get(MENU, requests.get((ctx, manager) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "SUCCESS");
            out.put("categories", menus.categories(manager.brandName()));
            ctx.json(out);
        }));
        routes.post(BIN_LOOKUP, requests.post(this::binLookup));
        routes.post(SECURE_CODE_LOOKUP, requests.post(this::secureCodeLookup));
        routes.get(ACS, ctx -> AcsPage.show(ctx, ctx.pathParam("secureCodeId")));
        routes.post(ACS, ctx -> AcsPage.answer(ctx, ctx.pathParam("secureCodeId"), answering));
    }

    private void pinKey(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "SUCCESS");
        out.put("keyId", pinKey.keyId());
        out.put("algorithm", PinKey.ALGORITHM);
        out.put("pinBlockFormat", "ISO-9564-0");
        out.put("publicKey", pinKey.publicPem());
        ctx.json(out);
    }

    private void binLookup(Context ctx, Manager manager) {
        var read = RemoteRequests.object(ctx);
        if (read.isEmpty()) {
            return;
        }
        String bin = RemoteRequests.text(read.get(), "bin");
        if (bin == RemoteRequests.WRONG) {
            RemoteErrors.badRequest(ctx, RemoteRequests.wrong("bin"));
            return;
        }
        if (bin == null || !bin.matches("[0-9]{6,19}")) {
            RemoteErrors.badRequest(ctx, "bin: required, the first 6 to 19 digits of the card number");
            return;
        }
        var found = bins.of(bin);
        if (found.isEmpty()) {
            RemoteErrors.error(ctx, "bin: no card scheme or issuer of this BIN takes Remote API purchases");
            return;
        }
        ctx.json(requirements(found.get()));
    }

    static Map<String, Object> requirements(CardRequirements r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "SUCCESS");
        out.put("bin", r.bin());
        out.put("authMethod", r.authMethod());
        out.put("cvvNeeded", r.cvvNeeded());
        out.put("accNeeded", r.accNeeded());
        out.put("dobNeeded", r.dobNeeded());
        out.put("cardHolderNameNeeded", r.cardHolderNameNeeded());
        return out;
    }

    private void secureCodeLookup(Context ctx, Manager manager) {
        var read = RemoteRequests.object(ctx);
        if (read.isEmpty()) {
            return;
        }
        JsonNode body = read.get();
        String msisdn = RemoteRequests.text(body, "msisdn");
        String msisdnProblem = msisdn == RemoteRequests.WRONG ? RemoteRequests.wrong("msisdn") : Msisdns.problem(msisdn);
        if (msisdnProblem != null) {
            RemoteErrors.badRequest(ctx, msisdnProblem);
            return;
        }
        String transactionId = RemoteRequests.text(body, "transactionId");
        if (transactionId == RemoteRequests.WRONG || transactionId == null || transactionId.isBlank()
                || transactionId.length() > TRANSACTION_ID_MAX_CHARS) {
            RemoteErrors.badRequest(ctx, "transactionId: required, the id generateTransactionId answered");
            return;
        }
        var card = card(ctx, body);
        if (card == null) {
            return;
        }
        var checked = validating.validate("", card);
        if (checked.refused()) {
            RemoteErrors.badRequest(ctx, checked.problem());
            return;
        }
        if (!checked.requirements().threeDs()) {
            RemoteErrors.error(ctx, "pan: this card is authorised with a PIN block (authMethod AMT), not 3-D Secure");
            return;
        }
        String wallet = Msisdns.international(msisdn).orElseThrow();
        if (!lookedUp.test(new String[] {manager.brandId().toString(), wallet, transactionId.strip()})) {
            RemoteErrors.error(ctx, "transactionId: no lookup of this wallet and MSISDN has this id; call "
                    + "generateTransactionId first");
            return;
        }
        managers.profile(manager.brandId(), wallet, clock.instant());
        var started = starting.start(manager.brandId(), manager.brandName(), wallet, transactionId.strip(),
                hashes.apply(checked.card().pan()), checked.card().lastFour());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "SUCCESS");
        out.put("transactionId", transactionId.strip());
        out.put("secureCodeId", started.challenge().id());
        out.put("acsUrl", publicUrl.apply(ctx) + BASE + "/acs/" + started.challenge().id());
        out.put("expiresAt", started.challenge().expiresAt().toString());
        ctx.json(out);
    }

    /** The card fields of a body, or null after answering 400 for one of the wrong type. */
    static CardData card(Context ctx, JsonNode body) {
        String[] fields = {"pan", "expiry", "cvv", "accountType", "dateOfBirth", "cardHolderName"};
        String[] values = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            values[i] = RemoteRequests.text(body, fields[i]);
            if (values[i] == RemoteRequests.WRONG) {
                RemoteErrors.badRequest(ctx, RemoteRequests.wrong(fields[i]));
                return null;
            }
        }
        return new CardData(values[0] == null ? null : values[0].strip(), values[1] == null ? null : values[1].strip(),
                values[2], values[3], values[4], values[5]);
    }
}
