package io.kulipa.dialects.momo;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.web.Routes;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.dialects.momo.credentials.AuthenticatingMomoCall;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.dialects.momo.invoices.CancellingInvoice;
import io.kulipa.dialects.momo.invoices.CreatingInvoice;
import io.kulipa.dialects.momo.invoices.Invoice;
import io.kulipa.dialects.momo.invoices.InvoiceStore;
import io.kulipa.providers.Catalog;
import java.util.Optional;
import java.util.UUID;

/**
 * MoMo's invoices, collection v2_0: create (202), look up (the status object) and cancel
 * (202). Translation only: the rules are the core's {@link CreatingInvoice} and
 * {@link CancellingInvoice}; the payer pays later through the sandbox handset.
 */
public final class MomoInvoiceRoutes implements Routes {

    private static final String PATH = "/collection/v2_0/invoice";

    private final MomoAuth auth;
    private final MerchantStore merchants;
    private final CreatingInvoice creating;
    private final CancellingInvoice cancelling;
    private final InvoiceStore invoices;
    private final MomoCalls calls;

    public MomoInvoiceRoutes(MomoAuth auth, ProvisioningApiUser users, MerchantStore merchants,
                             CreatingInvoice creating, CancellingInvoice cancelling, InvoiceStore invoices,
                             Catalog catalog) {
        this.auth = auth;
        this.merchants = merchants;
        this.creating = creating;
        this.cancelling = cancelling;
        this.invoices = invoices;
        this.calls = new MomoCalls(auth, users, new MomoEnvironments(catalog));
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::create);
        routes.get(PATH + "/{referenceId}", calls.handler(MomoProduct.COLLECTION, this::status));
        routes.delete(PATH + "/{referenceId}", this::cancel);
    }

    /** The preamble of a call that writes: caller, X-Reference-Id, environment and callback URL. */
    private record Call(AuthenticatingMomoCall.Caller caller, UUID reference, MomoEnvironments.Environment env,
                        String callbackUrl) {
    }

    /** The call, or empty once MoMo's refusal has been written. */
    private Optional<Call> writing(Context ctx, String what) {
        Optional<AuthenticatingMomoCall.Caller> caller = auth.caller(ctx, MomoProduct.COLLECTION);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        Optional<UUID> reference = MomoCalls.referenceId(ctx, what);
        if (reference.isEmpty()) {
            return Optional.empty();
        }
        Optional<MomoEnvironments.Environment> env = calls.environment(ctx);
        if (env.isEmpty()) {
            return Optional.empty();
        }
        MomoCalls.Callback callback = calls.callbackUrl(ctx, caller.get());
        return callback.refused() ? Optional.empty()
                : Optional.of(new Call(caller.get(), reference.get(), env.get(), callback.url()));
    }

    private void create(Context ctx) {
        Optional<Call> call = writing(ctx, "invoice and its status");
        if (call.isEmpty()) {
            return;
        }
        Call c = call.get();
        Optional<Merchant> merchant = merchants.byId(c.caller().merchantId());
        if (merchant.isEmpty()) {
            MomoErrors.reason(ctx, 500, "INTERNAL_PROCESSING_ERROR", "The merchant of this subscription key is gone.");
            return;
        }
        MomoInvoiceRequests.Parsed parsed = MomoInvoiceRequests.parse(MomoCalls.body(ctx), merchant.get(), c.reference(),
                c.caller().apiUserId(), c.env(), c.callbackUrl());
        if (parsed.error() != null) {
            MomoCalls.refuseUnusable(ctx, invoices.byReference(merchant.get().id(), c.reference()).isPresent(),
                    () -> answer(ctx, parsed.error()));
            return;
        }
        switch (creating.create(parsed.invoice())) {
            case CreatingInvoice.Result.Created created -> ctx.status(202);
            case CreatingInvoice.Result.Duplicate d -> MomoErrors.alreadyExists(ctx);
            case CreatingInvoice.Result.Rejected r -> {
                MomoRequests.MomoError e = MomoRequests.refusal(r.rejection());
                answer(ctx, new MomoRequests.MomoError(e.status(), e.code(),
                        e.message().replace("payer.partyId:", "intendedPayer.partyId:")));
            }
        }
    }

    private void status(Context ctx, MomoCalls.Call call) {
        Optional<Invoice> invoice = invoice(ctx, call.caller(), call.environment());
        if (invoice.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        ctx.json(MomoInvoiceJson.result(invoice.get()));
    }

    /** MoMo's CancelInvoice: DELETE with its own X-Reference-Id and the body {externalId}. */
    private void cancel(Context ctx) {
        Optional<Call> call = writing(ctx, "cancellation");
        if (call.isEmpty()) {
            return;
        }
        Call c = call.get();
        Optional<Invoice> invoice = invoice(ctx, c.caller(), c.env());
        if (invoice.isEmpty()) {
            MomoErrors.notFound(ctx);
            return;
        }
        if (MomoCalls.refusedOptionalBody(ctx)) {
            return;
        }
        JsonNode body = MomoCalls.body(ctx);
        String externalId = body == null ? null : MomoRequests.text(body, MomoJson.EXTERNAL_ID);
        if (externalId == null) {
            MomoErrors.badRequest(ctx, "externalId: is required in the body, {\"externalId\": \"...\"}, the "
                    + "externalId the invoice was created with");
            return;
        }
        switch (cancelling.cancel(c.caller().merchantId(), invoice.get().referenceId(), c.reference(), externalId,
                c.callbackUrl())) {
            case CancellingInvoice.Result.Cancelled done -> ctx.status(202);
            case CancellingInvoice.Result.NotFound n -> MomoErrors.notFound(ctx);
            case CancellingInvoice.Result.Duplicate d -> MomoErrors.alreadyExists(ctx);
            case CancellingInvoice.Result.WrongExternalId w -> MomoErrors.badRequest(ctx, "externalId: '"
                    + externalId + "' is not the externalId of invoice " + invoice.get().referenceId());
            case CancellingInvoice.Result.NotCancellable n -> MomoErrors.reason(ctx, 409, "NOT_ALLOWED",
                    "The invoice is " + MomoInvoiceJson.wireStatus(n.status()) + (n.status().isFinal() ? ""
                    : " with a payment under way") + "; only a pending invoice can be cancelled.");
        }
    }

    /** The caller's invoice of the path's referenceId in this environment. */
    private Optional<Invoice> invoice(Context ctx, AuthenticatingMomoCall.Caller caller,
                                      MomoEnvironments.Environment env) {
        return MomoRoutes.uuid(ctx.pathParam("referenceId"))
                .flatMap(id -> invoices.byReference(caller.merchantId(), id))
                .filter(i -> i.environment().equals(env.name()));
    }

    private static void answer(Context ctx, MomoRequests.MomoError error) {
        MomoErrors.reason(ctx, error.status(), error.code(), error.message());
    }
}
