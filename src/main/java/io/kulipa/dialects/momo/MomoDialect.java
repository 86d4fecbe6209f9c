package io.kulipa.dialects.momo;

import io.kulipa.dialects.Core;
import io.kulipa.dialects.DemoMerchant;
import io.kulipa.dialects.Dialect;
import io.kulipa.dialects.Installation;
import io.kulipa.web.ApiDocument;
import io.kulipa.dialects.momo.consent.ReadingCustomerIdentity;
import io.kulipa.dialects.momo.consent.RecordingConsentDecision;
import io.kulipa.dialects.momo.consent.RedeemingConsent;
import io.kulipa.dialects.momo.consent.RequestingConsent;
import io.kulipa.dialects.momo.credentials.AuthenticatingApiUser;
import io.kulipa.dialects.momo.credentials.AuthenticatingMomoCall;
import io.kulipa.dialects.momo.credentials.GrantingSubscriptionKeys;
import io.kulipa.dialects.momo.credentials.IssuingAccessToken;
import io.kulipa.dialects.momo.credentials.MomoProduct;
import io.kulipa.dialects.momo.credentials.ProvisioningApiUser;
import io.kulipa.dialects.momo.invoices.CancellingInvoice;
import io.kulipa.dialects.momo.invoices.CreatingInvoice;
import io.kulipa.dialects.momo.invoices.Invoice;
import io.kulipa.dialects.momo.invoices.PayingInvoice;
import io.kulipa.dialects.momo.invoices.SettlingInvoices;
import io.kulipa.dialects.momo.preapprovals.ApplyingPreApproval;
import io.kulipa.dialects.momo.preapprovals.FindingPreApproval;
import io.kulipa.dialects.momo.preapprovals.PreApproval;
import io.kulipa.dialects.momo.preapprovals.RecordingPreApprovalDecision;
import io.kulipa.dialects.momo.preapprovals.RequestingPreApproval;
import io.kulipa.dialects.momo.store.JdbiConsentStore;
import io.kulipa.dialects.momo.store.JdbiInvoiceStore;
import io.kulipa.dialects.momo.store.JdbiMomoCredentialStore;
import io.kulipa.dialects.momo.store.JdbiPreApprovalStore;
import io.kulipa.dialects.momo.store.JdbiVoucherStore;
import io.kulipa.dialects.momo.vouchers.CancellingVoucher;
import io.kulipa.dialects.momo.vouchers.CreatingVoucher;
import io.kulipa.dialects.momo.vouchers.RedeemingVoucher;
import io.kulipa.dialects.momo.vouchers.SendingVoucherOtp;
import io.kulipa.dialects.momo.vouchers.Voucher;
import io.kulipa.payments.SendingDeliveryNotification;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.simulator.SimulatedApprovals;
import java.util.Arrays;
import java.util.List;

/**
 * MTN MoMo's Open API over the core: credentials, payment operations, pre-approvals, consent
 * and KYC, invoices and vouchers, each with its store in {@code store/}.
 */
public final class MomoDialect implements Dialect {

    /** MoMo's sandbox test numbers (46733123450...) as simulator scenarios. */
    public static final String SCENARIOS = "/simulator/momo-scenarios.csv";
    /** Fixes the demo merchant's subscription key (one for all three products), for tests. */
    public static final String BOOTSTRAP_SUBSCRIPTION_KEY = "BOOTSTRAP_MOMO_SUBSCRIPTION_KEY";
    private static final String DEMO_KEYS_FIELD = "momoSubscriptionKeys";

    private JdbiMomoCredentialStore credentials;
    private String bootstrapKey;
    private volatile String demoSubscriptionKey;

    @Override
    public String name() {
        return MomoJson.DIALECT;
    }

    @Override
    public Catalog extend(Catalog operators) {
        return MomoSandboxCatalog.with(operators);
    }

    @Override
    public List<String> simulatorScenarios() {
        return List.of(SCENARIOS);
    }

    @Override
    public List<ApiDocument> apiDocuments() {
        return List.of(new ApiDocument("MTN MoMo: provisioning", "momo-provisioning.yaml"),
                new ApiDocument("MTN MoMo: collection", "momo-collection.yaml"),
                new ApiDocument("MTN MoMo: disbursement", "momo-disbursement.yaml"),
                new ApiDocument("MTN MoMo: remittance", "momo-remittance.yaml"));
    }

    @Override
    public void install(Core core, Installation installation) {
        credentials = new JdbiMomoCredentialStore(core.database().jdbi());
        bootstrapKey = core.settings().value(BOOTSTRAP_SUBSCRIPTION_KEY);
        installation.callbackFormat(MomoJson.DIALECT, new MomoJson());
        ProvisioningApiUser users = new ProvisioningApiUser(credentials, core.clock());
        MomoAuth auth = new MomoAuth(new AuthenticatingMomoCall(credentials, core.clock()));
        installation.routes(new MomoRoutes(users, new IssuingAccessToken(credentials, core.clock()), core.sandbox()));
        JdbiPreApprovalStore preApprovals = new JdbiPreApprovalStore(core.database().jdbi(), core.callbackOutbox());
        installation.routes(new MomoPaymentRoutes(auth, users, core.merchants(), core.initiating(),
                core.refunding(), new SendingDeliveryNotification(core.connectors(), core.clock()),
                core.payments(), core.ledger(), core.catalog(), new ApplyingPreApproval(preApprovals, core.clock())));
        installIdentity(core, installation, auth, users, preApprovals);
        // MoMo's ErrorReason SERVICE_UNAVAILABLE with 503, as its API answers when a backend is down.
        installation.outageAnswer(new io.kulipa.web.OutageAnswer(java.util.List.of("/collection", "/disbursement",
                "/remittance", "/v1_0", "/v2_0"), ctx -> MomoErrors.reason(ctx, 503, "SERVICE_UNAVAILABLE",
                "The service is briefly unavailable; send the request again with the same X-Reference-Id.")));
        installInvoices(core, installation, auth, users);
        installVouchers(core, installation, auth, users);
    }

    /** Pre-approvals and KYC: their use cases, and the simulator's customers answering them. */
    private void installIdentity(Core core, Installation installation, MomoAuth auth, ProvisioningApiUser users,
                                 JdbiPreApprovalStore preApprovals) {
        SimulatedApprovals approvals = core.simulator().approvals();
        installation.callbackSource(PreApproval.CALLBACK_SUBJECT, MomoPreApprovalRoutes.callbackSource(preApprovals));
        RecordingPreApprovalDecision preApprovalDecisions = new RecordingPreApprovalDecision(preApprovals,
                core.clock());
        JdbiConsentStore consents = new JdbiConsentStore(core.database().jdbi());
        RecordingConsentDecision consentDecisions = new RecordingConsentDecision(consents);
        approvals.listen(decision -> {
            preApprovalDecisions.record(decision);
            consentDecisions.record(decision);
        });
        installation.routes(new MomoPreApprovalRoutes(auth, users, core.merchants(),
                new RequestingPreApproval(preApprovals, approvals, core.clock()),
                new FindingPreApproval(preApprovals, approvals, preApprovalDecisions), core.catalog()));
        AuthenticatingApiUser apiUsers = new AuthenticatingApiUser(credentials);
        installation.routes(new MomoIdentityRoutes(auth, users, core.merchants(),
                new RequestingConsent(consents, approvals, core.clock()),
                new RedeemingConsent(apiUsers, consents, approvals, consentDecisions, core.clock()),
                new ReadingCustomerIdentity(apiUsers, consents, approvals, core.clock()), core.catalog()));
    }

    /** Invoices: the routes, the payer's side on the handset, and the loop that settles them. */
    private static void installInvoices(Core core, Installation installation, MomoAuth auth,
                                        ProvisioningApiUser users) {
        JdbiInvoiceStore invoices = new JdbiInvoiceStore(core.database().jdbi(), core.callbackOutbox());
        installation.callbackSource(Invoice.CALLBACK_SUBJECT, MomoInvoiceJson.callbackSource(invoices));
        SettlingInvoices settling = new SettlingInvoices(invoices, core.clock());
        installation.background(new Installation.Background() {
            @Override
            public void start() {
                settling.start();
            }

            @Override
            public void close() {
                settling.close();
            }
        });
        installation.routes(new MomoInvoiceRoutes(auth, users, core.merchants(),
                new CreatingInvoice(invoices, core.validating(), core.clock()),
                new CancellingInvoice(invoices, core.clock()), invoices, core.catalog()));
        if (core.sandbox()) {
            installation.routes(new SandboxInvoiceRoutes(core.simulator(),
                    new PayingInvoice(invoices, core.merchants(), core.initiating(), core.clock())));
        }
    }

    /** Vouchers: their store, use cases and callbacks (sent once), behind their routes. */
    private static void installVouchers(Core core, Installation installation, MomoAuth auth,
                                        ProvisioningApiUser users) {
        JdbiVoucherStore vouchers = new JdbiVoucherStore(core.database().jdbi(), core.callbackOutbox());
        installation.callbackSource(Voucher.CALLBACK_SUBJECT, MomoVoucherRoutes.callbackSource(vouchers));
        installation.routes(new MomoVoucherRoutes(auth, users,
                new MomoVoucherRoutes.UseCases(new CreatingVoucher(vouchers, core.clock()),
                        new RedeemingVoucher(vouchers, core.clock()),
                        new CancellingVoucher(vouchers, core.clock()),
                        new SendingVoucherOtp(vouchers, core.clock()), vouchers), core.catalog()));
    }

    /**
     * The demo merchant's subscription key (one for all three products): the fixed one if set,
     * else the one written last time if it still opens every product, else a new one.
     */
    @Override
    public void bootstrapDemo(DemoMerchant demo) {
        GrantingSubscriptionKeys keys = new GrantingSubscriptionKeys(credentials);
        String previous = demo.previous().path(DEMO_KEYS_FIELD).path(MomoProduct.COLLECTION.wireName()).asText("");
        String key;
        if (bootstrapKey != null) {
            key = keys.grantAll(demo.merchant().id(), bootstrapKey);
        } else if (!previous.isEmpty() && Arrays.stream(MomoProduct.values())
                .allMatch(p -> keys.holds(demo.merchant().id(), p, previous))) {
            key = previous;
        } else {
            key = keys.grantAll(demo.merchant().id(), null);
        }
        var field = demo.file().putObject(DEMO_KEYS_FIELD);
        for (MomoProduct product : MomoProduct.values()) {
            field.put(product.wireName(), key);
        }
        demo.bannerLine("MoMo key", key + " (Ocp-Apim-Subscription-Key, collection/disbursement/remittance)");
        demoSubscriptionKey = key;
    }

    /** The demo merchant's subscription key of this start (sandbox only; null before bootstrap). */
    public String demoSubscriptionKey() {
        return demoSubscriptionKey;
    }
}
