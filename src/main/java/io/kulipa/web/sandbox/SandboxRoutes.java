package io.kulipa.web.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.Routes;
import io.kulipa.web.ToolRequests;
import io.kulipa.money.Amount;
import io.kulipa.money.CountryRules;
import io.kulipa.providers.Catalog;
import io.kulipa.money.Msisdn;
import io.kulipa.providers.simulator.SimAccount;
import io.kulipa.providers.simulator.SimTransaction;
import io.kulipa.providers.simulator.SimulatedOperators;
import io.kulipa.providers.simulator.SimWallet;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The virtual handsets of the sandbox: a phone's pending PIN prompts, approving one with the
 * PIN or rejecting it, the SMS inbox, and the wallet behind the number. No authentication:
 * these endpoints exist only in sandbox mode.
 */
public final class SandboxRoutes implements Routes {

    private final SimulatedOperators operators;
    private final Catalog catalog;

    public SandboxRoutes(SimulatedOperators operators, Catalog catalog) {
        this.operators = operators;
        this.catalog = catalog;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/sandbox/handsets/{msisdn}", this::handset);
        routes.get("/sandbox/handsets/{msisdn}/prompts", ctx -> ToolRequests.withMsisdn(ctx, m -> ctx.json(prompts(m))));
        routes.get("/sandbox/handsets/{msisdn}/sms", ctx -> ToolRequests.withMsisdn(ctx, m -> ctx.json(operators.inbox(m))));
        routes.post("/sandbox/handsets/{msisdn}/prompts/{reference}/approve", this::approve);
        routes.post("/sandbox/handsets/{msisdn}/prompts/{reference}/reject", this::reject);
        routes.put("/sandbox/handsets/{msisdn}/wallet", this::configure);
        routes.get("/sandbox/operators/{correspondent}", ctx -> withOperator(ctx,
                c -> ctx.json(knobs(c, operators.knobs(c)))));
        routes.put("/sandbox/operators/{correspondent}", ctx -> withOperator(ctx, c -> setKnobs(ctx, c)));
    }

    private void handset(Context ctx) {
        ToolRequests.withMsisdn(ctx, m -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("msisdn", m);
            out.put("wallet", operators.wallet(m).map(SandboxRoutes::wallet).orElse(null));
            out.put("approval", operators.wallet(m).map(SimWallet::approvalMode).orElse(null) != null
                    ? operators.wallet(m).get().approvalMode()
                    : operators.settings().manualApproval() ? "manual" : "auto");
            out.put("kyc", HandsetApprovals.profile(operators.approvals().profile(m)));
            out.put("prompts", prompts(m));
            // Accounts besides the wallet, once a prompt that offers a choice has opened them.
            out.put("accounts", operators.accounts(m).stream().map(a -> Map.of("number", a.number(),
                    "name", a.name(), "balance", Amount.plain(a.balance()), "currency", a.currency())).toList());
            out.put("sms", operators.inbox(m));
            ctx.json(out);
        });
    }

    private List<Map<String, Object>> prompts(String msisdn) {
        List<Map<String, Object>> all = new java.util.ArrayList<>(
                operators.prompts(msisdn).stream().map(t -> prompt(t, operators.choices(t))).toList());
        operators.approvals().open(msisdn).forEach(a -> all.add(HandsetApprovals.prompt(a)));
        all.forEach(p -> PromptAnswers.describe(msisdn, p));
        return all;
    }

    /** A prompt as the handset shows it; {@code accounts} are the ones the customer may pay from, if any. */
    private static Map<String, Object> prompt(SimTransaction t, List<SimAccount> accounts) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("reference", t.reference());
        p.put("operatorReference", t.providerRef());
        p.put("correspondent", t.correspondent());
        p.put("amount", Amount.plain(t.amount()));
        p.put("currency", t.currency());
        p.put("message", "Pay " + Amount.plain(t.amount()) + " " + t.currency()
                + (t.description() == null ? "" : " to " + t.description()) + "? Enter your PIN to approve.");
        if (!accounts.isEmpty()) {
            p.put("message", "Pay " + Amount.plain(t.amount()) + " " + t.currency()
                    + (t.description() == null ? "" : " to " + t.description())
                    + "? Choose the account to pay from and enter your PIN.");
            p.put("accounts", accounts.stream().map(a -> Map.of("number", a.number(), "name", a.name(),
                    "balance", Amount.plain(a.balance()), "currency", a.currency())).toList());
        }
        p.put(SimTransaction.APPROVE.equals(t.planned()) ? "autoApprovesAt" : "expiresAt", t.dueAt().toString());
        p.put("created", t.created().toString());
        return p;
    }

    private static Map<String, Object> wallet(SimWallet w) {
        return Map.of("currency", w.currency(), "balance", Amount.plain(w.balance()));
    }

    private void approve(Context ctx) {
        ToolRequests.withMsisdn(ctx, m -> {
            Optional<JsonNode> read = ToolRequests.body(ctx);
            if (read.isEmpty()) {
                return;
            }
            JsonNode body = read.get();
            String pin = body.path("pin").isTextual() ? body.path("pin").asText() : null;
            if (pin == null) {
                ctx.status(400).json(Map.of("errorMessage", "pin: is required as a string"));
                return;
            }
            String account = body.path("account").isTextual() ? body.path("account").asText() : null;
            answer(ctx, operators.approve(m, ctx.pathParam("reference"), pin, account));
        });
    }

    private void reject(Context ctx) {
        ToolRequests.withMsisdn(ctx, m -> answer(ctx, operators.reject(m, ctx.pathParam("reference"))));
    }

    private static void answer(Context ctx, SimulatedOperators.HandsetAnswer answer) {
        switch (answer) {
            case DONE -> ctx.json(Map.of("result", "DONE"));
            case NO_SUCH_PROMPT -> ctx.status(404).json(Map.of("errorMessage", "No pending prompt with that reference on this handset"));
            case WRONG_PIN -> ctx.status(403).json(Map.of("errorMessage", "Wrong PIN; the prompt is still open"));
            case PIN_LOCKED -> ctx.status(403).json(Map.of("errorMessage", "Wrong PIN too many times; the payment was not approved"));
            case NO_SUCH_ACCOUNT -> ctx.status(400).json(Map.of("errorMessage",
                    "account: not one this prompt offers to pay from; the prompt is still open"));
        }
    }

    private void configure(Context ctx) {
        ToolRequests.withMsisdn(ctx, m -> {
            Optional<JsonNode> read = ToolRequests.body(ctx);
            if (read.isEmpty()) {
                return;
            }
            JsonNode body = read.get();
            Optional<BigDecimal> balance = body.path("balance").isTextual()
                    ? Amount.parse(body.path("balance").asText()).map(Amount::value) : Optional.empty();
            if (body.has("balance") && balance.isEmpty()) {
                ctx.status(400).json(Map.of("errorMessage", "balance: must be an amount string such as \"2500\" or \"10.50\""));
                return;
            }
            String approval = body.path("approval").isTextual() ? body.path("approval").asText() : null;
            if (approval != null && !List.of("auto", "manual", "default").contains(approval)) {
                ctx.status(400).json(Map.of("errorMessage", "approval: must be auto, manual or default"));
                return;
            }
            String pin = body.path("pin").isTextual() ? body.path("pin").asText() : null;
            if (pin != null && !pin.matches("^[0-9]{4,6}$")) {
                ctx.status(400).json(Map.of("errorMessage", "pin: must be 4 to 6 digits"));
                return;
            }
            Optional<String> currency = catalog.countryOfMsisdn(m).map(CountryRules::currency);
            if (currency.isEmpty()) {
                ctx.status(400).json(Map.of("errorMessage", "msisdn: no sandbox country has this dialling code"));
                return;
            }
            Optional<String> badProfile = HandsetApprovals.configureProfile(operators.approvals(), m, body.get("kyc"));
            if (badProfile.isPresent()) {
                ctx.status(400).json(Map.of("errorMessage", badProfile.get()));
                return;
            }
            SimWallet w = operators.configure(m, currency.get(), balance.orElse(null), pin, approval);
            ctx.json(Map.of("msisdn", m, "wallet", wallet(w), "approval",
                    w.approvalMode() == null ? "default" : w.approvalMode()));
        });
    }

    private void withOperator(Context ctx, java.util.function.Consumer<String> then) {
        String correspondent = ctx.pathParam("correspondent");
        if (catalog.correspondent(correspondent).isEmpty()) {
            ctx.status(404).json(Map.of("errorMessage", "correspondent: '" + correspondent + "' is not in the catalog"));
            return;
        }
        then.accept(correspondent);
    }

    /** {"outage": true} makes the operator unreachable; {"loseCallbacks": true} finishes payments without calling back. */
    private void setKnobs(Context ctx, String correspondent) {
        Optional<JsonNode> read = ToolRequests.body(ctx);
        if (read.isEmpty()) {
            return;
        }
        JsonNode body = read.get();
        for (String field : List.of("outage", "loseCallbacks")) {
            if (body.has(field) && !body.get(field).isBoolean()) {
                ctx.status(400).json(Map.of("errorMessage", field + ": must be true or false"));
                return;
            }
        }
        SimulatedOperators.Knobs now = operators.knobs(correspondent);
        SimulatedOperators.Knobs next = new SimulatedOperators.Knobs(
                body.path("outage").asBoolean(now.outage()), body.path("loseCallbacks").asBoolean(now.loseCallbacks()));
        operators.knobs(correspondent, next);
        ctx.json(knobs(correspondent, next));
    }

    private static Map<String, Object> knobs(String correspondent, SimulatedOperators.Knobs k) {
        return Map.of("correspondent", correspondent, "outage", k.outage(), "loseCallbacks", k.loseCallbacks());
    }
}
