package io.kulipa.dialects.scantopay;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.cards.CardVault;
import io.kulipa.cards.SeedingTestCards;
import io.kulipa.providers.simulator.SimCardAuthorisation;
import io.kulipa.providers.simulator.SimulatedIssuers;
import io.kulipa.providers.simulator.SimulatedOperators;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Routes;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's card side of a virtual handset: the PIN prompts of card purchases (naming
 * merchant, amount and card {@code ****1234}), entering the PIN or refusing, and linking a card
 * to the handset. Sandbox only.
 */
final class ScantopaySandboxRoutes implements Routes {

    private final SimulatedIssuers issuers;
    private final CardVault vault;

    ScantopaySandboxRoutes(SimulatedIssuers issuers, CardVault vault) {
        this.issuers = issuers;
        this.vault = vault;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/sandbox/handsets/{msisdn}/card-prompts", this::prompts);
        routes.post("/sandbox/handsets/{msisdn}/card-prompts/{reference}/pin", this::pin);
        routes.post("/sandbox/handsets/{msisdn}/card-prompts/{reference}/reject", this::reject);
        routes.post("/sandbox/handsets/{msisdn}/cards", this::link);
    }

    private static boolean badMsisdn(Context ctx) {
        if (!Networks.validMsisdn(ctx.pathParam("msisdn"))) {
            ctx.status(400).json(Map.of("errorMessage", "msisdn: 27 then nine digits"));
            return true;
        }
        return false;
    }

    private void prompts(Context ctx) {
        if (badMsisdn(ctx)) {
            return;
        }
        String msisdn = ctx.pathParam("msisdn");
        List<Map<String, Object>> out = issuers.prompts(msisdn).stream().map(a -> prompt(msisdn, a)).toList();
        ctx.json(Map.of("prompts", out));
    }

    /**
     * A card PIN prompt, with its {@code answer} described as the virtual phone draws every prompt:
     * the endpoints below and the body field they read ({@code pin}).
     */
    private static Map<String, Object> prompt(String msisdn, SimCardAuthorisation a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", a.reference());
        m.put("text", "Pay R" + a.amount().setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString() + " to " + a.description() + " with card ****" + a.last4()
                + "? Enter your card PIN");
        m.put("amount", a.amount());
        m.put("currency", a.currency());
        m.put("card", "****" + a.last4());
        m.put("merchant", a.description());
        m.put("expiresAt", a.dueAt() == null ? null : a.dueAt().toString());
        m.put("title", "R" + a.amount().setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString()
                + " · card ****" + a.last4());
        m.put("message", m.get("text"));
        String base = "/sandbox/handsets/" + msisdn + "/card-prompts/" + a.reference();
        Map<String, Object> pin = new LinkedHashMap<>();
        pin.put("name", "pin");
        pin.put("label", "Card PIN");
        pin.put("kind", "secret");
        pin.put("pattern", "[0-9]{4,6}");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("approve", base + "/pin");
        answer.put("reject", base + "/reject");
        answer.put("approveLabel", "Pay");
        answer.put("fields", List.of(pin));
        m.put("answer", answer);
        return m;
    }

    private void pin(Context ctx) {
        if (badMsisdn(ctx)) {
            return;
        }
        JsonBody.Read read = JsonBody.read(ctx, false);
        JsonNode pin = read.refused() || read.absent() ? null : read.node().get("pin");
        if (pin == null || !pin.isTextual() || !pin.asText().matches("[0-9]{4,6}")) {
            ctx.status(400).json(Map.of("errorMessage", "pin: four to six digits"));
            return;
        }
        answer(ctx, issuers.enterPin(ctx.pathParam("msisdn"), ctx.pathParam("reference"), pin.asText()));
    }

    private void reject(Context ctx) {
        if (badMsisdn(ctx)) {
            return;
        }
        answer(ctx, issuers.reject(ctx.pathParam("msisdn"), ctx.pathParam("reference")));
    }

    private static void answer(Context ctx, SimulatedOperators.HandsetAnswer a) {
        int status = switch (a) {
            case DONE -> 200;
            case NO_SUCH_PROMPT, NO_SUCH_ACCOUNT -> 404;
            case WRONG_PIN, PIN_LOCKED -> 403;
        };
        String message = switch (a) {
            case DONE -> null;
            case NO_SUCH_PROMPT -> "No such prompt: it was answered or has expired";
            case NO_SUCH_ACCOUNT -> "No such card account";
            case WRONG_PIN -> "Wrong PIN";
            case PIN_LOCKED -> "The card is locked after three wrong PINs";
        };
        ctx.status(status).json(message == null ? Map.of("result", a.name())
                : Map.of("result", a.name(), "errorMessage", message));
    }

    /** Links a test card to the handset with its issuer account; the PAN is never answered back. */
    private void link(Context ctx) {
        if (badMsisdn(ctx)) {
            return;
        }
        JsonBody.Read read = JsonBody.read(ctx, true);
        if (read.refused() || read.absent() || !read.node().isObject()) {
            ctx.status(400).json(Map.of("errorMessage", read.refused() ? read.problem() : "body: a JSON object"));
            return;
        }
        JsonNode b = read.node();
        String pan = b.path("pan").asText("");
        String expiry = b.path("expiry").asText("");
        String pin = b.path("pin").asText("1234");
        if (!pan.matches("[0-9]{14,19}") || !CardVault.luhn(pan)) {
            ctx.status(400).json(Map.of("errorMessage", "pan: 14 to 19 digits with a valid Luhn check digit"));
            return;
        }
        if (!expiry.matches("20[0-9]{2}-(0[1-9]|1[0-2])")) {
            ctx.status(400).json(Map.of("errorMessage", "expiry: YYYY-MM"));
            return;
        }
        if (!pin.matches("[0-9]{4,6}")) {
            ctx.status(400).json(Map.of("errorMessage", "pin: four to six digits"));
            return;
        }
        BigDecimal balance;
        BigDecimal credit;
        try {
            balance = new BigDecimal(b.path("balance").asText("1000.00"));
            credit = new BigDecimal(b.path("creditLimit").asText("0"));
        } catch (NumberFormatException e) {
            ctx.status(400).json(Map.of("errorMessage", "balance, creditLimit: numbers"));
            return;
        }
        if (issuers.bankOf(pan.substring(0, 6)).isEmpty()) {
            ctx.status(400).json(Map.of("errorMessage", "pan: no simulated issuer has this BIN"));
            return;
        }
        String msisdn = ctx.pathParam("msisdn");
        boolean linked = SeedingTestCards.link(vault, issuers, msisdn, pan, YearMonth.parse(expiry), pin, balance, credit,
                null);
        ctx.status(linked ? 201 : 409).json(Map.of("msisdn", msisdn, "cards", vault.cards(msisdn).stream()
                .map(c -> Map.of("cardId", c.id().toString(), "maskedPan", c.masked())).toList()));
    }
}
