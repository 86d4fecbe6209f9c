package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.Routes;
import io.kulipa.payments.FailureCode;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.dialects.momo.preapprovals.FindingPreApproval;
import io.kulipa.dialects.momo.preapprovals.PreApproval;
import io.kulipa.dialects.momo.preapprovals.PreApprovalStore;
import io.kulipa.dialects.momo.preapprovals.RequestingPreApproval;
import io.kulipa.providers.Catalog;
import io.kulipa.callbacks.Callback;
import io.kulipa.callbacks.CallbackPolicy;
import io.kulipa.callbacks.CallbackSource;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * MoMo's pre-approvals ({@code /collection/v1_0/preapproval} and v2_0): a merchant asks a payer
 * to approve its payments in advance; the payer answers on the handset; later requests to pay of
 * that merchant to that payer in that currency go through without a prompt. Translation only.
 */
public final class MomoPreApprovalRoutes implements Routes {

    private static final String[] VERSIONS = {"v1_0", "v2_0"};

    private final MomoCalls calls;
    private final MerchantStore merchants;
    private final RequestingPreApproval requesting;
    private final FindingPreApproval finding;

    public MomoPreApprovalRoutes(MomoAuth auth, ProvisioningApiUser users, MerchantStore merchants,
                                 RequestingPreApproval requesting, FindingPreApproval finding, Catalog catalog) {
        this.calls = new MomoCalls(auth, users, new MomoEnvironments(catalog));
        this.merchants = merchants;
        this.requesting = requesting;
        this.finding = finding;
    }

    /** The callback of a final pre-approval: its status object, PUT for v1_0 and POST for v2_0, once. */
    public static CallbackSource callbackSource(PreApprovalStore store) {
        return CallbackSource.byUuid(id -> store.find(id).filter(p -> p.status() != PreApproval.Status.PENDING)
                .map(p -> new Callback(MomoJson.DIALECT, "pre-approval", p.merchantId(), p.callbackUrl(),
                        p.callbackMethod() == null ? "PUT" : p.callbackMethod(), status(p).toString(),
                        CallbackPolicy.ONCE)));
    }

    @Override
    public void register(RoutesConfig routes) {
        for (String version : VERSIONS) {
            String path = "/collection/" + version + "/preapproval";
            String callbackMethod = version.equals("v1_0") ? "PUT" : "POST";
            routes.post(path, calls.handler(MomoProduct.COLLECTION, (ctx, call) -> create(ctx, call, callbackMethod)));
            routes.get(path + "/{referenceId}", calls.handler(MomoProduct.COLLECTION, this::get));
        }
    }

    private void create(Context ctx, MomoCalls.Call call, String callbackMethod) {
        Optional<UUID> reference = MomoCalls.referenceId(ctx, "pre-approval and its status");
        if (reference.isEmpty()) {
            return;
        }
        MomoCalls.Callback callback = calls.callbackUrl(ctx, call.caller());
        if (callback.refused()) {
            return;
        }
        Optional<Merchant> merchant = merchants.byId(call.caller().merchantId());
        if (merchant.isEmpty()) {
            MomoErrors.reason(ctx, 500, "INTERNAL_PROCESSING_ERROR", "The merchant of this subscription key is gone.");
            return;
        }
        Parsed parsed = parse(MomoCalls.body(ctx), call.environment());
        if (parsed.error() != null) {
            MomoCalls.refuseUnusable(ctx, finding.find(merchant.get().id(), reference.get()).isPresent(),
                    () -> MomoErrors.reason(ctx, parsed.status(), parsed.code(), parsed.error()));
            return;
        }
        switch (requesting.request(new RequestingPreApproval.NewPreApproval(reference.get(), merchant.get().id(),
                merchant.get().name(), call.caller().apiUserId(),
                call.environment().correspondent().id(), parsed.msisdn(),
                call.environment().currency(), parsed.payerMessage(), parsed.validity(), callback.url(),
                callback.url() == null ? null : callbackMethod))) {
            case ACCEPTED -> ctx.status(202);
            case DUPLICATE -> MomoErrors.alreadyExists(ctx);
        }
    }

    private void get(Context ctx, MomoCalls.Call call) {
        String correspondent = call.environment().correspondent().id();
        Optional<PreApproval> found = MomoRoutes.uuid(ctx.pathParam("referenceId"))
                .flatMap(id -> finding.find(call.caller().merchantId(), id))
                .filter(p -> p.correspondent().equals(correspondent));
        if (found.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        ctx.json(status(found.get()));
    }

    /** MoMo's PreApprovalResult. */
    static ObjectNode status(PreApproval p) {
        ObjectNode o = MomoJson.MAPPER.createObjectNode();
        ObjectNode payer = o.putObject("payer");
        payer.put("partyIdType", "MSISDN");
        payer.put("partyId", p.msisdn());
        o.put("payerCurrency", p.currency());
        o.put("payerMessage", p.payerMessage() == null ? "" : p.payerMessage());
        o.put("status", p.status().name());
        o.put("expirationDateTime", DateTimeFormatter.ISO_INSTANT.format(p.expiresAt().truncatedTo(ChronoUnit.MILLIS)));
        if (p.status() == PreApproval.Status.FAILED) {
            o.put("reason", MomoJson.reason(FailureCode.fromProvider(p.reason())));
        }
        return o;
    }

    /** A parsed body, or the error to answer with. */
    private record Parsed(String msisdn, String payerMessage, Duration validity, int status, String code,
                          String error) {
        static Parsed error(int status, String code, String message) {
            return new Parsed(null, null, null, status, code, message);
        }
    }

    /** {payer: {partyIdType, partyId}, payerCurrency, payerMessage, validityTime}. */
    private static Parsed parse(JsonNode body, MomoEnvironments.Environment env) {
        if (body == null || !body.isObject()) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "The body must be a JSON object such as {\"payer\": "
                    + "{\"partyIdType\": \"MSISDN\", \"partyId\": \"46733123453\"}, \"payerCurrency\": \"EUR\", "
                    + "\"payerMessage\": \"Monthly subscription\", \"validityTime\": 3600}");
        }
        JsonNode payer = body.get("payer");
        String type = MomoRequests.text(payer, "partyIdType");
        if (payer == null || !payer.isObject() || type == null || !type.toUpperCase(Locale.ROOT).equals("MSISDN")) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "payer: is required as {\"partyIdType\": \"MSISDN\", "
                    + "\"partyId\": \"46733123453\"} (Kulipa holds MoMo accounts by phone number only)");
        }
        String msisdn = MomoRequests.text(payer, "partyId");
        if (msisdn == null || !env.country().accepts(msisdn.trim())) {
            return Parsed.error(400, "PAYER_NOT_FOUND", "payer.partyId: must be a number of the target environment "
                    + env.name() + " in international form without '+'" + (msisdn == null ? "" : ", not '" + msisdn
                    + "'"));
        }
        String currency = MomoRequests.text(body, "payerCurrency");
        if (currency == null || !currency.equals(env.currency())) {
            return Parsed.error(400, "INVALID_CURRENCY", "payerCurrency: the target environment " + env.name()
                    + " uses " + env.currency() + (currency == null ? "" : ", not '" + currency + "'"));
        }
        JsonNode message = body.get("payerMessage");
        if (message != null && !message.isNull() && (!message.isTextual()
                || message.asText().length() > MomoRequests.MAX_TEXT_CHARS)) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "payerMessage: must be a string of at most "
                    + MomoRequests.MAX_TEXT_CHARS + " characters");
        }
        JsonNode validity = body.get("validityTime");
        long seconds = validity == null ? 0 : validity.canConvertToLong() ? validity.asLong()
                : validity.isTextual() && validity.asText().matches("[0-9]{1,12}") ? Long.parseLong(validity.asText()) : 0;
        if (seconds <= 0 || seconds > RequestingPreApproval.VALIDITY_MAX.toSeconds()) {
            return Parsed.error(400, MomoErrors.BAD_REQUEST, "validityTime: is required, the number of seconds the "
                    + "pre-approval lasts, from 1 to " + RequestingPreApproval.VALIDITY_MAX.toSeconds());
        }
        return new Parsed(msisdn.trim(), message == null || message.isNull() ? null : message.asText(),
                Duration.ofSeconds(seconds), 0, null, null);
    }
}
