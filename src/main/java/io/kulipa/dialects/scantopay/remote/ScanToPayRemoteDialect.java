package io.kulipa.dialects.scantopay.remote;

import io.kulipa.dialects.Core;
import io.kulipa.dialects.DemoMerchant;
import io.kulipa.dialects.Dialect;
import io.kulipa.dialects.Installation;
import io.kulipa.dialects.scantopay.remote.cards.BinTable;
import io.kulipa.dialects.scantopay.remote.cards.ValidatingCardData;
import io.kulipa.dialects.scantopay.remote.managers.AuthenticatingManager;
import io.kulipa.dialects.scantopay.remote.managers.GrantingManagerCredentials;
import io.kulipa.dialects.scantopay.remote.managers.ManagerStore;
import io.kulipa.dialects.scantopay.remote.managers.RsaKeys;
import io.kulipa.dialects.scantopay.remote.pins.PinKey;
import io.kulipa.dialects.scantopay.remote.pins.ReadingPinData;
import io.kulipa.dialects.scantopay.remote.secure.CheckingSecureCode;
import io.kulipa.dialects.scantopay.remote.secure.AnsweringAcsChallenge;
import io.kulipa.dialects.scantopay.remote.secure.StartingSecureCode;
import io.kulipa.dialects.scantopay.remote.store.JdbiRemoteStore;
import io.kulipa.dialects.scantopay.remote.purchases.CheckingDevice;
import io.kulipa.dialects.scantopay.remote.purchases.GeneratingTransactionId;
import io.kulipa.dialects.scantopay.remote.purchases.PurchasingTransaction;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteStates;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteTransactionStore;
import io.kulipa.dialects.scantopay.remote.purchases.RemoteWebhooks;
import io.kulipa.web.ApiDocument;
import java.util.List;
import java.util.UUID;

/**
 * The Scan to Pay Remote API v4 ({@code /pluto/remote/v4}), the protocol of wallet apps: wallet
 * brands and their manager profiles (Basic or JWT Bearer + PKI), the PIN-encryption key, BIN
 * look-up and 3-D Secure with a simulated ACS page. The payment calls build on the card world of
 * the WIG dialect beside it ({@code dialects/scantopay}).
 */
public final class ScanToPayRemoteDialect implements Dialect {

    public static final String DIALECT = "scantopay-remote";
    public static final String BOOTSTRAP_BRAND = "BOOTSTRAP_STP_REMOTE_BRAND";
    public static final String BOOTSTRAP_USERNAME = "BOOTSTRAP_STP_REMOTE_USERNAME";
    public static final String BOOTSTRAP_PASSWORD = "BOOTSTRAP_STP_REMOTE_PASSWORD";
    public static final String DEMO_BRAND = "Kulipa Demo Wallet";
    public static final String DEMO_USERNAME = "demo-wallet";
    /** The sender of the ACS's one-time passwords in the handset's inbox. */
    static final String ACS_SENDER = "SCANTOPAY_ACS";
    static final String DEMO_FIELD = "scantopayRemote";

    private JdbiRemoteStore store;
    private GrantingManagerCredentials granting;
    private Core core;
    private volatile Demo demo;
    private CheckingSecureCode checkingSecureCode;
    private ReadingPinData pinData;
    private RemoteTransactionStore transactions;
    private GeneratingTransactionId generating;
    /** The merchant VAS purchases pay: the sandbox's demo merchant (none in production). */
    private volatile java.util.UUID vasMerchant;

    /** The demo wallet brand's manager of this start (sandbox only), password in clear. */
    public record Demo(UUID brandId, String brand, String username, String password, java.nio.file.Path pinKeyFile) {
    }

    @Override
    public String name() {
        return DIALECT;
    }

    @Override
    public List<ApiDocument> apiDocuments() {
        return List.of(new ApiDocument("Scan to Pay: Remote API v4 (wallets)", "scantopay-remote.yaml"));
    }

    /** The PIN key (RSA) is generated, on a new data directory, while the database starts; install reads it. */
    @Override
    public void prepare(io.kulipa.Settings settings) {
        PinKey.in(settings.dataDir());
    }

    @Override
    public void install(Core core, Installation installation) {
        this.core = core;
        store = new JdbiRemoteStore(core.database().jdbi());
        granting = new GrantingManagerCredentials(store, core.clock(), pem -> RsaKeys.parse(pem));
        var authenticating = new AuthenticatingManager(store, core.clock(), RsaKeys::parse);
        var dataDir = core.settings().dataDir();
        PinKey pinKey = PinKey.in(dataDir);
        pinData = new ReadingPinData(pinKey);
        checkingSecureCode = new CheckingSecureCode(store);
        BinTable bins = BinTable.load(BinTable.RESOURCE);
        var validating = new ValidatingCardData(bins, core.clock());
        var starting = new StartingSecureCode(store, core.clock(),
                (msisdn, text) -> core.simulator().notifyCustomer(ACS_SENDER, msisdn, text));
        String publicUrl = core.settings().value("PUBLIC_URL");
        RemoteRequests requests = new RemoteRequests(authenticating);
        var menus = io.kulipa.dialects.scantopay.remote.vas.VasMenus.load(
                io.kulipa.dialects.scantopay.remote.vas.VasMenus.RESOURCE);
        installation.routes(new RemoteRoutes(menus,
                requests, store, bins, validating,
                core.cards()::lookupHash, pinKey, starting, new AnsweringAcsChallenge(store, core.clock()),
                ctx -> publicUrl != null ? publicUrl.replaceAll("/+$", "") : ctx.scheme() + "://" + ctx.host(),
                core.clock(), key -> transactions.find(key[2]).filter(t -> t.brandId().toString().equals(key[0])
                        && t.msisdn().equals(key[1]) && t.status() == io.kulipa.dialects.scantopay.remote.purchases
                        .RemoteTransaction.Status.READY).isPresent()));
        installation.routes(new RemoteOpsRoutes(core.admin(), store, granting, core.clock(),
                (code, inputs) -> generating.requireInputs(code, inputs)));
        installPurchases(core, installation, requests, validating, bins, menus);
        if (core.sandbox()) {
            installation.routes(new SandboxPinBlockRoutes(pinKey));
        }
    }

    /**
     * The payment half: lookups, purchases, their state and history, the per-purchase webhook with
     * the fail-safe reversal of the WIG dialect (here for this dialect's purchases) and its sweep.
     */
    private void installPurchases(Core core, Installation installation, RemoteRequests requests,
                                  ValidatingCardData validating, BinTable bins,
                                  io.kulipa.dialects.scantopay.remote.vas.VasMenus menus) {
        var codes = new io.kulipa.dialects.scantopay.store.JdbiScantopayStore(core.database().jdbi());
        transactions = new io.kulipa.dialects.scantopay.remote.store.JdbiRemoteTransactions(core.database().jdbi());
        String window = core.settings().value(io.kulipa.dialects.scantopay.ScantopayDialect.ACK_WINDOW);
        java.time.Duration ackWindow = window == null
                ? io.kulipa.dialects.scantopay.notifications.ScantopayNotifications.ACK_WINDOW_DEFAULT
                : io.kulipa.Settings.duration(window, "KULIPA_" + io.kulipa.dialects.scantopay.ScantopayDialect.ACK_WINDOW);
        String retry = core.settings().value(io.kulipa.dialects.scantopay.ScantopayDialect.REVERSAL_RETRY_FIRST);
        java.time.Duration retryFirst = retry == null
                ? io.kulipa.dialects.scantopay.notifications.ReversingUnacknowledgedPurchase.REFUSED_RETRY_FIRST
                : io.kulipa.Settings.duration(retry, "KULIPA_" + io.kulipa.dialects.scantopay.ScantopayDialect.REVERSAL_RETRY_FIRST);
        // Refused reversals are counted and parked in the same table as the WIG's (keyed by the payment).
        var reversing = new io.kulipa.dialects.scantopay.notifications.ReversingUnacknowledgedPurchase(core.payments(),
                core.merchants(), core.refunding()::refund, codes, retryFirst, DIALECT);
        var states = new RemoteStates(core.payments(), core.issuers());
        installation.callbackFormat(DIALECT, new RemoteWebhooks(states, ackWindow, reversing));
        generating = new GeneratingTransactionId(codes, core.merchants(), transactions, menus,
                () -> java.util.Optional.ofNullable(vasMerchant), core.clock());
        var purchasing = new PurchasingTransaction(transactions, codes, core.merchants(), core.payments(),
                core.cardPayments(), core.issuers(), validating, pinData, checkingSecureCode,
                new CheckingDevice(transactions, core.payments()), core.sandbox(), core.clock());
        installation.routes(new RemoteCardRoutes(requests, store, new io.kulipa.dialects.scantopay.remote.purchases
                .ProvisioningCards(core.cards(), validating, bins, core.issuers(), core.sandbox()), core.clock()));
        installation.routes(new RemotePurchaseRoutes(requests, store, generating, purchasing, transactions,
                core.payments(), states, core.guard(), core.clock()));
        installation.background(new io.kulipa.dialects.scantopay.notifications.SweepingUnacknowledgedPurchases(
                transactions, reversing, ackWindow));
        installation.background(new io.kulipa.dialects.scantopay.remote.purchases.ForgettingStaleLookups(transactions,
                core.clock()));
        if (core.sandbox()) {
            // The sandbox delivers VAS itself: airtime to the simulated handset, tokens by SMS.
            installation.background(new io.kulipa.dialects.scantopay.remote.purchases.DeliveringVas(transactions,
                    (msisdn, text) -> core.simulator().sms(msisdn,
                            io.kulipa.dialects.scantopay.remote.purchases.DeliveringVas.SENDER, text), core.clock()));
            installation.routes(new SandboxAirtimeRoutes(transactions));
        }
    }

    /**
     * The demo wallet brand and its BASIC manager: the password fixed by its setting if set, else
     * the one written last time, else a new one; written beside the demo merchant's credentials.
     */
    @Override
    public void bootstrapDemo(DemoMerchant demoMerchant) {
        vasMerchant = demoMerchant.merchant().id();
        var previous = demoMerchant.previous().path(DEMO_FIELD);
        String brandName = pick(BOOTSTRAP_BRAND, DEMO_BRAND);
        String username = pick(BOOTSTRAP_USERNAME, previous.path("username").asText(DEMO_USERNAME));
        String fixed = core.settings().value(BOOTSTRAP_PASSWORD);
        String password = fixed != null ? fixed : previous.path("password").asText("").isEmpty() ? null
                : previous.path("password").asText();
        store.addBrand(new ManagerStore.Brand(UUID.randomUUID(), brandName, core.clock().instant()));
        ManagerStore.Brand brand = store.brandByName(brandName).orElseThrow();
        var result = granting.grant(brand.id(), username, "BASIC", password, null);
        if (result.problem() != null) {
            throw new IllegalStateException("cannot give the demo wallet brand a manager: " + result.problem());
        }
        var file = demoMerchant.file().putObject(DEMO_FIELD);
        file.put("brandId", brand.id().toString());
        file.put("brand", brand.name());
        file.put("username", result.manager().username());
        file.put("password", result.password());
        file.put("baseUrl", RemoteRoutes.BASE);
        file.put("pinKeyFile", PinKey.PUBLIC_KEY_FILE);
        demoMerchant.bannerLine("STP wallet", brand.name() + " (Remote API " + RemoteRoutes.BASE + ")");
        demoMerchant.bannerLine("STP manager", result.manager().username() + " : " + result.password()
                + " (Basic)");
        demo = new Demo(brand.id(), brand.name(), result.manager().username(), result.password(),
                demoMerchant.dataDir().resolve(PinKey.PUBLIC_KEY_FILE));
    }

    private String pick(String setting, String fallback) {
        String fixed = core.settings().value(setting);
        return fixed != null ? fixed : fallback;
    }

    /** The check of a purchase's {@code secureCodeBasic}. */
    public CheckingSecureCode secureCodes() {
        return checkingSecureCode;
    }

    /** The card vault's keyed hash a card is recognised by (3-D Secure look-up, retried purchase). */
    public String cardHash(String pan) {
        return core.cards().lookupHash(pan);
    }

    /** The reader of a purchase's {@code pinData.encryptedData}. */
    public ReadingPinData pinData() {
        return pinData;
    }

    /** The Remote API's lookups and purchases, for tests and tools. */
    public RemoteTransactionStore transactions() {
        return transactions;
    }

    /** Sets the inputs a code asks a wallet for; a refusal naming the field, or empty. */
    public java.util.Optional<String> requireInputs(String code, java.util.List<String> inputs) {
        return generating.requireInputs(code, inputs);
    }

    /** The demo wallet brand's manager of this start (sandbox only; null before bootstrap). */
    public Demo demo() {
        return demo;
    }
}
