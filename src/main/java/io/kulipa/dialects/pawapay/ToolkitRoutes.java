package io.kulipa.dialects.pawapay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Authenticator;
import io.kulipa.web.Routes;
import io.kulipa.ledger.Balance;
import io.kulipa.ledger.LedgerStore;
import io.kulipa.money.Amount;
import io.kulipa.payments.Merchant;
import io.kulipa.providers.AvailabilityBoard;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Correspondent;
import io.kulipa.providers.Operation;
import io.kulipa.providers.OperationLimits;
import io.kulipa.providers.Prediction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The pawaPay toolkit endpoints: MNO availability, the merchant's active configuration,
 * correspondent prediction and wallet balances. Translation only: the answers come from the
 * availability board, the catalog, the prediction and the ledger.
 */
public final class ToolkitRoutes implements Routes {

    /** Strict, as for payments: trailing text or a key given twice makes a body unparsable. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{3}$");

    private final Authenticator auth;
    private final Catalog catalog;
    private final AvailabilityBoard board;
    private final Prediction prediction;
    private final LedgerStore ledger;

    public ToolkitRoutes(Authenticator auth, Catalog catalog, AvailabilityBoard availability, Prediction prediction,
                         LedgerStore ledger) {
        this.auth = auth;
        this.catalog = catalog;
        this.board = availability;
        this.prediction = prediction;
        this.ledger = ledger;
    }

    @Override
    public void register(RoutesConfig routes) {
        // pawaPay serves availability without authentication: it is the same for everyone.
        routes.get("/availability", this::availability);
        routes.get("/active-conf", ctx -> authenticated(ctx).ifPresent(m -> ctx.json(activeConf(m))));
        routes.post("/v1/predict-correspondent", ctx -> authenticated(ctx).ifPresent(m -> predict(ctx)));
        routes.get("/v1/wallet-balances", ctx -> authenticated(ctx).ifPresent(m -> ctx.json(balances(m, null))));
        routes.get("/v1/wallet-balances/{country}", ctx -> authenticated(ctx).ifPresent(m -> countryBalances(ctx, m)));
    }

    private void availability(Context ctx) {
        Map<String, ArrayNode> byCountry = new LinkedHashMap<>();
        ArrayNode out = MAPPER.createArrayNode();
        for (AvailabilityBoard.CorrespondentStatus s : board.snapshot()) {
            ArrayNode correspondents = byCountry.computeIfAbsent(s.country(), country -> {
                ObjectNode entry = out.addObject();
                entry.put("country", country);
                return entry.putArray("correspondents");
            });
            ObjectNode c = correspondents.addObject();
            c.put("correspondent", s.correspondent());
            ArrayNode types = c.putArray("operationTypes");
            s.statuses().forEach((op, status) -> types.addObject()
                    .put("operationType", op.name())
                    .put("status", status.name()));
        }
        ctx.json(out);
    }

    private ObjectNode activeConf(Merchant merchant) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("merchantId", merchant.id().toString());
        out.put("merchantName", merchant.name());
        ArrayNode countries = out.putArray("countries");
        Map<String, ArrayNode> byCountry = new LinkedHashMap<>();
        for (Correspondent c : catalog.correspondents()) {
            if (!merchant.enabled(c.id())) {
                continue;
            }
            ArrayNode correspondents = byCountry.computeIfAbsent(c.country(), country -> {
                ObjectNode entry = countries.addObject();
                entry.put("country", country);
                return entry.putArray("correspondents");
            });
            ObjectNode node = correspondents.addObject();
            node.put("correspondent", c.id());
            node.put("currency", c.currency());
            node.put("ownerName", c.mno());
            ArrayNode types = node.putArray("operationTypes");
            for (Operation op : Operation.values()) {
                c.limits(op).ifPresent(limits -> operationType(types, op, limits));
            }
        }
        return out;
    }

    private static void operationType(ArrayNode types, Operation op, OperationLimits limits) {
        types.addObject()
                .put("operationType", op.name())
                .put("minTransactionLimit", Amount.plain(limits.min()))
                .put("maxTransactionLimit", Amount.plain(limits.max()));
    }

    private void predict(Context ctx) {
        JsonBody.Read read = JsonBody.read(ctx, true);
        JsonNode body = read.node();
        if (body == null || !body.isObject()) {
            badRequest(ctx, "The request body must be a JSON object such as {\"msisdn\": \"260763456789\"}"
                    + (read.refused() ? "; " + read.problem() : ""));
            return;
        }
        JsonNode raw = body.get("msisdn");
        if (raw == null || raw.isNull()) {
            badRequest(ctx, "msisdn: is required, the phone number with its country code");
            return;
        }
        if (!raw.isTextual()) {
            badRequest(ctx, "msisdn: must be a string");
            return;
        }
        Prediction.Outcome outcome = prediction.resolve(raw.asText());
        if (outcome.predicted().isEmpty()) {
            badRequest(ctx, "msisdn: " + explain(outcome));
            return;
        }
        Prediction.Predicted p = outcome.predicted().get();
        ObjectNode out = MAPPER.createObjectNode();
        out.put("country", p.country());
        out.put("operator", p.operator());
        out.put("correspondent", p.correspondent());
        out.put("msisdn", p.msisdn());
        ctx.json(out);
    }

    private static String explain(Prediction.Outcome outcome) {
        return switch (outcome.miss()) {
            case MALFORMED -> "must be a phone number with its country code, at most 15 digits, not starting with 0";
            case UNKNOWN_COUNTRY -> "'" + outcome.msisdn() + "' does not start with the dialling code of a supported country";
            case WRONG_LENGTH -> "'" + outcome.msisdn() + "' does not have the number of digits of a phone number of "
                    + outcome.country();
            case NO_CORRESPONDENT -> "'" + outcome.msisdn() + "' belongs to no supported correspondent of "
                    + outcome.country();
        };
    }

    private void countryBalances(Context ctx, Merchant merchant) {
        String country = ctx.pathParam("country");
        if (!COUNTRY.matcher(country).matches()) {
            badRequest(ctx, "country: must be an ISO 3166-1 alpha-3 code of three upper-case letters");
            return;
        }
        ctx.json(balances(merchant, country));
    }

    /** The merchant's wallets, all or those of one country; a country with no wallet gives an empty list. */
    private ObjectNode balances(Merchant merchant, String country) {
        ObjectNode out = MAPPER.createObjectNode();
        ArrayNode list = out.putArray("balances");
        for (Balance b : ledger.merchantWallets(merchant.id())) {
            if (country != null && !country.equals(b.account().country())) {
                continue;
            }
            list.addObject()
                    .put("country", b.account().country())
                    .put("balance", Amount.plain(b.available()))
                    .put("currency", b.account().currency())
                    .put("mno", "");
        }
        return out;
    }

    private Optional<Merchant> authenticated(Context ctx) {
        Optional<Merchant> merchant = auth.merchant(ctx);
        if (merchant.isEmpty()) {
            ObjectNode error = MAPPER.createObjectNode();
            error.put("status", "REJECTED");
            ObjectNode reason = error.putObject("rejectionReason");
            reason.put("rejectionCode", "AUTHENTICATION_ERROR");
            reason.put("rejectionMessage", "The bearer token is missing or not valid");
            ctx.status(401).json(error);
        }
        return merchant;
    }

    private static void badRequest(Context ctx, String message) {
        ctx.status(400).json(MAPPER.createObjectNode().put("errorMessage", message));
    }
}
