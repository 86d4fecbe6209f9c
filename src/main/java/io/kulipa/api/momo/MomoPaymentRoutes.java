package io.kulipa.api.momo;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.api.Routes;
import io.kulipa.ledger.Balance;
import io.kulipa.ledger.LedgerStore;
import io.kulipa.money.Amount;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.credentials.AuthenticatingMomoCall;
import io.kulipa.payments.credentials.MomoProduct;
import io.kulipa.payments.credentials.ProvisioningApiUser;
import io.kulipa.providers.Catalog;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * MTN MoMo's payment endpoints, v1_0: request to pay (collection), transfer (disbursement),
 * account balance and account holder status. Translation only: authenticate with
 * {@link MomoAuth}, read the headers and the body, call the core's {@link InitiatingPayment},
 * answer in MoMo's words. Requests to pay are the core's deposits and transfers its payouts, so
 * idempotency, limits, the ledger and callbacks are the core's, as for every dialect.
 */
public final class MomoPaymentRoutes implements Routes {

    static final String CALLBACK_URL_HEADER = "X-Callback-Url";
    private static final java.util.Set<String> ACCOUNT_HOLDER_TYPES = java.util.Set.of("msisdn", "email", "party_code");

    /** The operations of one product: its path for payments and the kind of core payment it makes. */
    private record Product(MomoProduct product, String paymentPath, PaymentKind kind) {
    }

    private static final Product COLLECTION = new Product(MomoProduct.COLLECTION, "requesttopay", PaymentKind.DEPOSIT);
    private static final Product DISBURSEMENT = new Product(MomoProduct.DISBURSEMENT, "transfer", PaymentKind.PAYOUT);

    private final MomoAuth auth;
    private final ProvisioningApiUser users;
    private final MerchantStore merchants;
    private final InitiatingPayment initiating;
    private final PaymentStore payments;
    private final LedgerStore ledger;
    private final MomoEnvironments environments;

    /** @param catalog the catalog with MoMo's sandbox correspondent ({@code MomoSandboxCatalog.with}) */
    public MomoPaymentRoutes(MomoAuth auth, ProvisioningApiUser users, MerchantStore merchants,
                             InitiatingPayment initiating, PaymentStore payments, LedgerStore ledger, Catalog catalog) {
        this.auth = auth;
        this.users = users;
        this.merchants = merchants;
        this.initiating = initiating;
        this.payments = payments;
        this.ledger = ledger;
        this.environments = new MomoEnvironments(catalog);
    }

    @Override
    public void register(RoutesConfig routes) {
        for (Product p : new Product[] {COLLECTION, DISBURSEMENT}) {
            String base = "/" + p.product().wireName() + "/v1_0/";
            routes.post(base + p.paymentPath(), ctx -> create(ctx, p));
            routes.get(base + p.paymentPath() + "/{referenceId}", ctx -> status(ctx, p));
            routes.get(base + "account/balance", ctx -> balance(ctx, p));
            routes.get(base + "accountholder/{accountHolderIdType}/{accountHolderId}/active", ctx -> active(ctx, p));
        }
    }

    private void create(Context ctx, Product p) {
        Optional<AuthenticatingMomoCall.Caller> caller = auth.caller(ctx, p.product());
        if (caller.isEmpty()) {
            return;
        }
        Optional<UUID> reference = MomoRoutes.uuid(ctx.header(MomoRoutes.REFERENCE_ID_HEADER));
        if (reference.isEmpty()) {
            MomoErrors.badRequest(ctx, "The " + MomoRoutes.REFERENCE_ID_HEADER + " header must be a UUID, for example "
                    + UUID.randomUUID() + "; it identifies the " + p.paymentPath() + " and its status.");
            return;
        }
        Optional<MomoEnvironments.Environment> env = environment(ctx);
        if (env.isEmpty()) {
            return;
        }
        String callbackUrl = ctx.header(CALLBACK_URL_HEADER);
        callbackUrl = callbackUrl == null || callbackUrl.isBlank() ? null : callbackUrl.trim();
        if (callbackUrl != null && !callbackAllowed(caller.get(), callbackUrl)) {
            MomoErrors.reason(ctx, 400, "INVALID_CALLBACK_URL_HOST", CALLBACK_URL_HEADER + ": the host of '"
                    + callbackUrl + "' is not the providerCallbackHost of API user " + caller.get().apiUserId()
                    + " (an http or https URL on that host is required)");
            return;
        }
        Optional<Merchant> merchant = merchants.byId(caller.get().merchantId());
        if (merchant.isEmpty()) {
            MomoErrors.reason(ctx, 500, "INTERNAL_PROCESSING_ERROR", "The merchant of this subscription key is gone.");
            return;
        }
        String clientRef = reference.get().toString();
        MomoRequests.Parsed parsed = MomoRequests.parse(body(ctx), merchant.get(), p.kind(),
                new MomoRequests.Headers(clientRef, env.get(), callbackUrl));
        if (parsed.error() != null) {
            // A known reference is a conflict whatever its new body says; nothing is written.
            Optional<Payment> existing = payments.find(merchant.get().id(), p.kind(), clientRef);
            if (existing.isPresent()) {
                payments.recordRepeat(existing.get().id(), "unparsable-as-" + parsed.error().code(), false);
                MomoErrors.alreadyExists(ctx);
            } else {
                answer(ctx, parsed.error());
            }
            return;
        }
        switch (initiating.initiate(parsed.request())) {
            case InitiatingPayment.Result.Accepted a -> ctx.status(202);
            // MoMo answers a reused reference with 409, even for the very same request.
            case InitiatingPayment.Result.Duplicate d -> MomoErrors.alreadyExists(ctx);
            case InitiatingPayment.Result.Rejected r -> answer(ctx, MomoRequests.refusal(r.rejection()));
        }
    }

    private void status(Context ctx, Product p) {
        Optional<Call> call = call(ctx, p);
        if (call.isEmpty()) {
            return;
        }
        AuthenticatingMomoCall.Caller caller = call.get().caller();
        MomoEnvironments.Environment env = call.get().environment();
        Optional<Payment> payment = MomoRoutes.uuid(ctx.pathParam("referenceId"))
                .flatMap(id -> payments.find(caller.merchantId(), p.kind(), id.toString()))
                .filter(found -> MomoJson.DIALECT.equals(found.dialect()))
                .filter(found -> found.correspondent().equals(env.correspondent().id()));
        if (payment.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        ctx.json(MomoJson.result(payment.get()));
    }

    private void balance(Context ctx, Product p) {
        Optional<Call> call = call(ctx, p);
        if (call.isEmpty()) {
            return;
        }
        AuthenticatingMomoCall.Caller caller = call.get().caller();
        MomoEnvironments.Environment env = call.get().environment();
        String country = env.country().code();
        String currency = env.currency();
        BigDecimal available = ledger.merchantWallets(caller.merchantId()).stream()
                .filter(b -> country.equals(b.account().country()) && currency.equals(b.account().currency()))
                .map(Balance::available).findFirst().orElse(BigDecimal.ZERO);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("availableBalance", Amount.plain(available));
        body.put("currency", currency);
        ctx.json(body);
    }

    /** MoMo's account holder check: is this an active account of the environment's wallet platform. */
    private void active(Context ctx, Product p) {
        Optional<Call> call = call(ctx, p);
        if (call.isEmpty()) {
            return;
        }
        MomoEnvironments.Environment env = call.get().environment();
        String type = ctx.pathParam("accountHolderIdType").toLowerCase(Locale.ROOT);
        if (!ACCOUNT_HOLDER_TYPES.contains(type)) {
            MomoErrors.badRequest(ctx, "accountHolderIdType: must be msisdn, email or party_code, not '"
                    + ctx.pathParam("accountHolderIdType") + "'");
            return;
        }
        // Kulipa's simulated wallets are held by phone number only.
        boolean active = type.equals("msisdn") && env.country().accepts(ctx.pathParam("accountHolderId"));
        ctx.json(Map.of("result", active));
    }

    /** An authenticated call in a known target environment. */
    private record Call(AuthenticatingMomoCall.Caller caller, MomoEnvironments.Environment environment) {
    }

    /** The caller and environment of a product call, or empty once MoMo's refusal has been written. */
    private Optional<Call> call(Context ctx, Product p) {
        Optional<AuthenticatingMomoCall.Caller> caller = auth.caller(ctx, p.product());
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        return environment(ctx).map(env -> new Call(caller.get(), env));
    }

    /** The target environment of the request, or empty once MoMo's refusal has been written. */
    private Optional<MomoEnvironments.Environment> environment(Context ctx) {
        return MomoCallChecks.environment(ctx, environments);
    }

    /** An http(s) URL on the host the caller's API user was provisioned with. */
    private boolean callbackAllowed(AuthenticatingMomoCall.Caller caller, String url) {
        return MomoCallChecks.callbackAllowed(users, caller, url);
    }

    private static JsonNode body(Context ctx) {
        try {
            return MomoJson.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void answer(Context ctx, MomoRequests.MomoError error) {
        MomoErrors.reason(ctx, error.status(), error.code(), error.message());
    }
}
