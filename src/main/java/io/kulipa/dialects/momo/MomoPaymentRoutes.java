package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.Routes;
import io.kulipa.ledger.Balance;
import io.kulipa.ledger.LedgerStore;
import io.kulipa.money.Amount;
import io.kulipa.payments.InitiatingPayment;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import io.kulipa.payments.RefundingDeposit;
import io.kulipa.payments.SendingDeliveryNotification;
import io.kulipa.dialects.momo.credentials.AuthenticatingMomoCall;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.dialects.momo.preapprovals.ApplyingPreApproval;
import io.kulipa.providers.Catalog;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * MTN MoMo's payment endpoints, v1_0 and v2_0: the operations of {@link MomoOperation} (request
 * to pay, request to withdraw, service-provider payment, transfer, deposit, refund, remittance
 * transfer), delivery notifications, account balance and account holder status. Translation only: authenticate with
 * {@link MomoAuth}, read the headers and the body, call the core's {@link InitiatingPayment},
 * answer in MoMo's words. Requests to pay are the core's deposits and transfers its payouts, so
 * idempotency, limits, the ledger and callbacks are the core's, as for every dialect.
 */
public final class MomoPaymentRoutes implements Routes {

    private final MomoAuth auth;
    private final MerchantStore merchants;
    private final InitiatingPayment initiating;
    private final InitiatingMomoPayment initiatingMomo;
    private final RefundingRequestToPay refunding;
    private final SendingDeliveryNotification notifying;
    private final PaymentStore payments;
    private final LedgerStore ledger;
    private final MomoCalls calls;
    private final CheckingAccountHolder accountHolders = new CheckingAccountHolder();

    /** @param catalog the catalog with MoMo's sandbox correspondent ({@code MomoSandboxCatalog.with}) */
    public MomoPaymentRoutes(MomoAuth auth, ProvisioningApiUser users, MerchantStore merchants,
                             InitiatingPayment initiating, RefundingDeposit refunding,
                             SendingDeliveryNotification notifying, PaymentStore payments, LedgerStore ledger,
                             Catalog catalog, ApplyingPreApproval preApprovals) {
        this.auth = auth;
        this.merchants = merchants;
        this.initiating = initiating;
        this.initiatingMomo = new InitiatingMomoPayment(initiating, preApprovals);
        this.refunding = new RefundingRequestToPay(payments, refunding);
        this.notifying = notifying;
        this.payments = payments;
        this.ledger = ledger;
        this.calls = new MomoCalls(auth, users, new MomoEnvironments(catalog));
    }

    @Override
    public void register(RoutesConfig routes) {
        for (MomoOperation op : MomoOperation.values()) {
            for (String version : op.versions()) {
                String path = "/" + op.product().wireName() + "/" + version + "/" + op.wire();
                routes.post(path, ctx -> create(ctx, op, version));
                routes.get(path + "/{referenceId}", calls.handler(op.product(), (ctx, call) -> status(ctx, call, op)));
            }
        }
        for (MomoProduct product : MomoProduct.values()) {
            String base = "/" + product.wireName() + "/v1_0/";
            routes.get(base + "account/balance", calls.handler(product, (ctx, call) -> balance(ctx, call, null)));
            routes.get(base + "account/balance/{currency}",
                    calls.handler(product, (ctx, call) -> balance(ctx, call, ctx.pathParam("currency"))));
            routes.get(base + "accountholder/{accountHolderIdType}/{accountHolderId}/active",
                    calls.handler(product, (ctx, call) -> active(ctx, call, product)));
            for (String version : new String[] {MomoOperation.V1.NAME, MomoOperation.V2.NAME}) {
                routes.post("/" + product.wireName() + "/" + version + "/requesttopay/{referenceId}/deliverynotification",
                        calls.handler(product, (ctx, call) -> deliveryNotification(ctx, call, product)));
            }
        }
    }

    private void create(Context ctx, MomoOperation op, String version) {
        Optional<AuthenticatingMomoCall.Caller> caller = auth.caller(ctx, op.product());
        if (caller.isEmpty()) {
            return;
        }
        Optional<UUID> reference = MomoCalls.referenceId(ctx, op.wire() + " and its status");
        if (reference.isEmpty()) {
            return;
        }
        Optional<MomoEnvironments.Environment> env = calls.environment(ctx);
        if (env.isEmpty()) {
            return;
        }
        MomoCalls.Callback callback = calls.callbackUrl(ctx, caller.get());
        if (callback.refused()) {
            return;
        }
        Optional<Merchant> merchant = merchants.byId(caller.get().merchantId());
        if (merchant.isEmpty()) {
            MomoErrors.reason(ctx, 500, "INTERNAL_PROCESSING_ERROR", "The merchant of this subscription key is gone.");
            return;
        }
        String clientRef = reference.get().toString();
        MomoRequests.Headers headers = new MomoRequests.Headers(clientRef, env.get(), callback.url(), op, version);
        if (op == MomoOperation.REFUND) {
            refund(ctx, merchant.get(), headers);
            return;
        }
        MomoRequests.Parsed parsed = op == MomoOperation.SERVICE_PAYMENT
                ? MomoRequests.parseServicePayment(MomoCalls.body(ctx), merchant.get(), headers)
                : MomoRequests.parse(MomoCalls.body(ctx), merchant.get(), headers);
        if (parsed.error() != null) {
            refuse(ctx, merchant.get(), op.kind(), clientRef, parsed.error());
            return;
        }
        answer(ctx, initiatingMomo.initiate(op, parsed.request()));
    }

    private void refund(Context ctx, Merchant merchant, MomoRequests.Headers headers) {
        MomoRequests.ParsedRefund parsed = MomoRequests.parseRefund(MomoCalls.body(ctx), merchant, headers);
        if (parsed.error() != null) {
            refuse(ctx, merchant, PaymentKind.REFUND, headers.referenceId(), parsed.error());
            return;
        }
        switch (refunding.refund(parsed.request(), headers.environment().correspondent().id())) {
            case RefundingRequestToPay.Result.Decided d -> answer(ctx, d.result());
            case RefundingRequestToPay.Result.NoSuchRequestToPay n -> MomoErrors.reason(ctx, 404,
                    MomoErrors.RESOURCE_NOT_FOUND, MomoJson.REFERENCE_ID_TO_REFUND + ": no request to pay "
                            + parsed.request().depositId() + " was made in target environment "
                            + headers.environment().name() + " with this subscription key");
        }
    }

    /** The core decides whether a body it cannot be given repeats a known reference (409); else MoMo's error. */
    private void refuse(Context ctx, Merchant merchant, PaymentKind kind, String clientRef, MomoRequests.MomoError error) {
        boolean known = initiating.duplicateOf(new InitiatingPayment.Unreadable(merchant.id(), MomoJson.DIALECT, kind,
                clientRef, error.code())).isPresent();
        MomoCalls.refuseUnusable(ctx, known, () -> answer(ctx, error));
    }

    private static void answer(Context ctx, InitiatingPayment.Result result) {
        switch (result) {
            case InitiatingPayment.Result.Accepted a -> ctx.status(202);
            // MoMo answers a reused reference with 409, even for the very same request.
            case InitiatingPayment.Result.Duplicate d -> MomoErrors.alreadyExists(ctx);
            case InitiatingPayment.Result.Rejected r -> answer(ctx, MomoRequests.refusal(r.rejection()));
        }
    }


    private void status(Context ctx, MomoCalls.Call call, MomoOperation op) {
        Optional<Payment> payment = find(call, op.kind(), ctx.pathParam("referenceId"))
                .filter(found -> MomoJson.operation(found) == op);
        if (payment.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        ctx.json(MomoJson.result(payment.get()));
    }

    /** A MoMo payment of the caller's merchant in the call's target environment; never another dialect's. */
    private Optional<Payment> find(MomoCalls.Call call, PaymentKind kind, String referenceId) {
        return MomoRoutes.uuid(referenceId)
                .flatMap(id -> payments.find(call.caller().merchantId(), MomoJson.DIALECT, kind, id.toString()))
                .filter(found -> found.correspondent().equals(call.environment().correspondent().id()));
    }

    /**
     * An extra SMS to the payer of a successful request to pay. The message comes in the
     * notificationMessage header or the body's notificationMessage field, as MoMo's clients send
     * either.
     */
    private void deliveryNotification(Context ctx, MomoCalls.Call call, MomoProduct product) {
        Optional<Payment> payment = find(call, PaymentKind.DEPOSIT, ctx.pathParam("referenceId"));
        if (payment.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        if (MomoCalls.refusedOptionalBody(ctx)) {
            return;
        }
        String message = ctx.header("notificationMessage");
        if (message == null || message.isBlank()) {
            message = MomoRequests.text(MomoCalls.body(ctx), "notificationMessage");
        }
        switch (notifying.send(payment.get(), message)) {
            case SENT -> ctx.status(200);
            case EMPTY -> MomoErrors.badRequest(ctx, "notificationMessage: is required, in the notificationMessage "
                    + "header or as {\"notificationMessage\": \"...\"}");
            case TOO_LONG -> MomoErrors.badRequest(ctx, "notificationMessage: at most "
                    + SendingDeliveryNotification.MESSAGE_MAX_CHARS + " characters");
            case NOT_SUCCESSFUL -> MomoErrors.reason(ctx, 409, "NOT_ALLOWED", "A delivery notification can only follow "
                    + "a SUCCESSFUL request to pay; " + ctx.pathParam("referenceId") + " is "
                    + MomoJson.status(payment.get().state()));
            case WINDOW_CLOSED -> MomoErrors.reason(ctx, 409, "NOT_ALLOWED", "The time to notify about request to pay "
                    + ctx.pathParam("referenceId") + " has passed ("
                    + SendingDeliveryNotification.NOTIFICATION_WINDOW.toHours() + " hours after it succeeded)");
            case OPERATOR_UNAVAILABLE -> MomoErrors.reason(ctx, 503, "SERVICE_UNAVAILABLE",
                    "The wallet platform cannot send the notification now; try again later.");
        }
    }

    /** The merchant's wallet in the environment's country, in its currency or the one asked for. */
    private void balance(Context ctx, MomoCalls.Call call, String askedCurrency) {
        AuthenticatingMomoCall.Caller caller = call.caller();
        MomoEnvironments.Environment env = call.environment();
        String country = env.country().code();
        String currency = env.currency();
        if (askedCurrency != null && !askedCurrency.equalsIgnoreCase(currency)) {
            MomoErrors.reason(ctx, 400, "INVALID_CURRENCY", "currency: the target environment " + env.name()
                    + " keeps balances in " + currency + " only, not '" + askedCurrency + "'");
            return;
        }
        BigDecimal available = ledger.merchantWallets(caller.merchantId()).stream()
                .filter(b -> country.equals(b.account().country()) && currency.equals(b.account().currency()))
                .map(Balance::available).findFirst().orElse(BigDecimal.ZERO);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("availableBalance", Amount.plain(available));
        body.put("currency", currency);
        ctx.json(body);
    }

    /** MoMo's account holder check: is this an active account of the environment's wallet platform. */
    private void active(Context ctx, MomoCalls.Call call, MomoProduct product) {
        MomoEnvironments.Environment env = call.environment();
        String type = ctx.pathParam("accountHolderIdType");
        if (!accountHolders.knownType(type)) {
            MomoErrors.badRequest(ctx, "accountHolderIdType: must be msisdn, email or party_code, not '" + type + "'");
            return;
        }
        ctx.json(Map.of("result", accountHolders.isActive(env, type, ctx.pathParam("accountHolderId"))));
    }

    private static void answer(Context ctx, MomoRequests.MomoError error) {
        MomoErrors.reason(ctx, error.status(), error.code(), error.message());
    }
}
