package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.Routes;
import io.kulipa.money.Amount;
import io.kulipa.callbacks.Callback;
import io.kulipa.callbacks.CallbackPolicy;
import io.kulipa.callbacks.CallbackSource;
import io.kulipa.dialects.momo.credentials.AuthenticatingMomoCall;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.dialects.momo.vouchers.CancellingVoucher;
import io.kulipa.dialects.momo.vouchers.CreatingVoucher;
import io.kulipa.dialects.momo.vouchers.Party;
import io.kulipa.dialects.momo.vouchers.RedeemingVoucher;
import io.kulipa.dialects.momo.vouchers.SendingVoucherOtp;
import io.kulipa.dialects.momo.vouchers.Voucher;
import io.kulipa.dialects.momo.vouchers.VoucherOutcome;
import io.kulipa.dialects.momo.vouchers.VoucherStore;
import io.kulipa.providers.Catalog;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * MoMo's vouchers, v2_0, under the collection and the disbursement product alike (MoMo's
 * documents show them under both): create (cash) voucher, its status, redeem, cancel and the
 * voucher OTP. Translation only: authenticate, read headers and body, call a use case of
 * {@code payments.vouchers}, answer in MoMo's words.
 */
public final class MomoVoucherRoutes implements Routes {

    private static final MomoProduct[] PRODUCTS = {MomoProduct.COLLECTION, MomoProduct.DISBURSEMENT};

    /** The use cases the routes call. */
    public record UseCases(CreatingVoucher creating, RedeemingVoucher redeeming, CancellingVoucher cancelling,
                           SendingVoucherOtp sendingOtp, VoucherStore vouchers) {
    }

    private final UseCases uses;
    private final MomoCalls calls;

    /** @param catalog the catalog with MoMo's sandbox correspondent ({@code MomoSandboxCatalog.with}) */
    public MomoVoucherRoutes(MomoAuth auth, ProvisioningApiUser users, UseCases uses, Catalog catalog) {
        this.uses = uses;
        this.calls = new MomoCalls(auth, users, new MomoEnvironments(catalog));
    }

    @Override
    public void register(RoutesConfig routes) {
        for (MomoProduct p : PRODUCTS) {
            String base = "/" + p.wireName() + "/v2_0/voucher";
            routes.post(base, calls.handler(p, (ctx, call) -> create(ctx, call, p)));
            routes.get(base + "/{referenceId}", calls.handler(p, (ctx, call) -> status(ctx, call, p)));
            routes.post(base + "/{voucherToken}/redeem", calls.handler(p, (ctx, call) -> redeem(ctx, call, p)));
            routes.delete(base + "/{voucherToken}", calls.handler(p, (ctx, call) -> cancel(ctx, call, p)));
            routes.get(base + "/{voucherToken}/OTP", calls.handler(p, (ctx, call) -> otp(ctx, call, p)));
            routes.post(base + "/{voucherToken}/OTP", calls.handler(p, (ctx, call) -> otp(ctx, call, p)));
        }
    }

    private void create(Context ctx, MomoCalls.Call call, MomoProduct p) {
        Optional<UUID> reference = MomoCalls.referenceId(ctx, "voucher and its status");
        if (reference.isEmpty()) {
            return;
        }
        AuthenticatingMomoCall.Caller caller = call.caller();
        MomoCalls.Callback callback = calls.callbackUrl(ctx, caller);
        if (callback.refused()) {
            return;
        }
        String callbackUrl = callback.url();
        String ref = reference.get().toString();
        MomoVoucherRequests.Parsed parsed = MomoVoucherRequests.parse(MomoCalls.body(ctx), caller.merchantId(), ref,
                call.environment(), callbackUrl);
        if (parsed.error() != null) {
            MomoCalls.refuseUnusable(ctx, uses.vouchers().byReference(caller.merchantId(), ref).isPresent(),
                    () -> MomoErrors.reason(ctx, parsed.error().status(), parsed.error().code(),
                            parsed.error().message()));
            return;
        }
        answer(ctx, uses.creating().create(parsed.request()), 202);
    }

    private void status(Context ctx, MomoCalls.Call call, MomoProduct p) {
        Optional<Voucher> voucher = MomoRoutes.uuid(ctx.pathParam("referenceId"))
                .flatMap(id -> uses.vouchers().byReference(call.caller().merchantId(), id.toString()))
                .filter(v -> v.correspondent().equals(call.environment().correspondent().id()));
        if (voucher.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        ctx.json(json(voucher.get()));
    }

    private void redeem(Context ctx, MomoCalls.Call call, MomoProduct p) {
        if (MomoCalls.refusedOptionalBody(ctx)) {
            return;
        }
        JsonNode body = MomoCalls.body(ctx);
        String secret = MomoVoucherRequests.text(body == null ? null : body.get("secret"));
        String otp = MomoVoucherRequests.text(body == null ? null : body.get("otp"));
        if (secret == null && otp == null) {
            MomoErrors.badRequest(ctx, "The body must carry the voucher's secret or a redeem OTP: {\"secret\": "
                    + "\"...\"} or {\"otp\": \"...\"}.");
            return;
        }
        answer(ctx, uses.redeeming().redeem(new RedeemingVoucher.Request(call.caller().merchantId(),
                ctx.pathParam("voucherToken"), call.environment().correspondent().id(), secret, otp)), 202);
    }

    private void cancel(Context ctx, MomoCalls.Call call, MomoProduct p) {
        if (MomoCalls.refusedOptionalBody(ctx)) {
            return;
        }
        JsonNode body = MomoCalls.body(ctx);
        String otp = Optional.ofNullable(MomoVoucherRequests.text(body == null ? null : body.get("otp")))
                .orElse(blankToNull(ctx.queryParam("otp")));
        answer(ctx, uses.cancelling().cancel(new CancellingVoucher.Request(call.caller().merchantId(),
                ctx.pathParam("voucherToken"), call.environment().correspondent().id(), otp)), 202);
    }

    private void otp(Context ctx, MomoCalls.Call call, MomoProduct p) {
        if (MomoCalls.refusedOptionalBody(ctx)) {
            return;
        }
        JsonNode body = MomoCalls.body(ctx);
        String useCase = Optional.ofNullable(MomoVoucherRequests.text(body == null ? null : body.get("useCase")))
                .orElse(blankToNull(ctx.queryParam("useCase")));
        VoucherStore.OtpUseCase parsed = useCase == null ? null : switch (useCase.toLowerCase(Locale.ROOT)) {
            case "redeem" -> VoucherStore.OtpUseCase.REDEEM;
            case "cancel" -> VoucherStore.OtpUseCase.CANCEL;
            default -> null;
        };
        if (parsed == null) {
            MomoErrors.badRequest(ctx, "useCase: redeem or cancel, in the body ({\"useCase\": \"redeem\"}) or the "
                    + "query (?useCase=redeem)" + (useCase == null ? "" : "; got '" + useCase + "'"));
            return;
        }
        VoucherOutcome outcome = uses.sendingOtp().send(new SendingVoucherOtp.Request(call.caller().merchantId(),
                ctx.pathParam("voucherToken"), call.environment().correspondent().id(), parsed));
        if (outcome instanceof VoucherOutcome.Done d) {
            ObjectNode o = MomoJson.MAPPER.createObjectNode();
            o.put("status", "GENERATED");
            o.put("useCase", parsed.name().toLowerCase(Locale.ROOT));
            o.put("expiresAt", d.otpExpiresAt().toString());
            ctx.status(200).json(o);
            return;
        }
        answer(ctx, outcome, 200);
    }

    /** An empty answer with the success status, or MoMo's error for the refusal. */
    private static void answer(Context ctx, VoucherOutcome outcome, int success) {
        switch (outcome) {
            case VoucherOutcome.Done d -> ctx.status(success);
            case VoucherOutcome.Refused r -> {
                switch (r.why()) {
                    case NOT_FOUND -> MomoErrors.notFound(ctx);
                    case ALREADY_EXISTS -> MomoErrors.alreadyExists(ctx);
                    case NOT_ENOUGH_FUNDS -> MomoErrors.reason(ctx, 400, "NOT_ENOUGH_FUNDS", r.message());
                    case NOT_ALLOWED, LOCKED -> MomoErrors.reason(ctx, 409, "NOT_ALLOWED", r.message());
                    case WRONG_SECRET -> MomoErrors.reason(ctx, 400, "APPROVAL_REJECTED", r.message());
                    case OTP_EXPIRED -> MomoErrors.reason(ctx, 400, "EXPIRED", r.message());
                    case OTP_REQUIRED -> MomoErrors.badRequest(ctx, "otp: " + r.message());
                }
            }
        }
    }

    /** A voucher's status object, as GET answers it and the callback carries it; never the secret. */
    public static ObjectNode json(Voucher v) {
        ObjectNode o = MomoJson.MAPPER.createObjectNode();
        o.put("referenceId", v.referenceId());
        if (v.externalId() != null) {
            o.put("externalId", v.externalId());
        }
        o.put("voucherToken", v.token());
        ObjectNode money = o.putObject("money");
        money.put("amount", Amount.plain(v.amount()));
        money.put("currency", v.currency());
        o.put("status", v.status().name());
        o.set("receiver", party(v.receiver()));
        if (v.sender() != null) {
            o.set("sender", party(v.sender()));
        }
        if (v.message() != null) {
            o.put("message", v.message());
        }
        o.put("createdAt", v.created().toString());
        o.put("updatedAt", v.updated().toString());
        return o;
    }

    /** The callback body: the status object, as text. */
    public static String callbackBody(Voucher v) {
        return json(v).toString();
    }

    /** A final voucher's callback: its status object, by POST, once, to the creator's X-Callback-Url. */
    public static CallbackSource callbackSource(VoucherStore store) {
        return CallbackSource.byUuid(id -> store.byId(id).filter(v -> v.status().isFinal())
                .map(v -> new Callback(MomoJson.DIALECT, "voucher", v.merchantId(), v.callbackUrl(), "POST",
                        callbackBody(v), CallbackPolicy.ONCE)));
    }

    private static ObjectNode party(Party p) {
        ObjectNode o = MomoJson.MAPPER.createObjectNode();
        o.put("msisdn", p.msisdn());
        putIf(o, "firstName", p.firstName());
        putIf(o, "surname", p.surname());
        putIf(o, "identificationType", p.identificationType());
        putIf(o, "identification", p.identification());
        return o;
    }

    private static void putIf(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
