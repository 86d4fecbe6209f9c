package io.kulipa.dialects.scantopay;

import io.kulipa.Settings;
import io.kulipa.dialects.Core;
import io.kulipa.dialects.DemoMerchant;
import io.kulipa.dialects.Dialect;
import io.kulipa.dialects.Installation;
import io.kulipa.dialects.scantopay.notifications.ConfiguringNotifications;
import io.kulipa.dialects.scantopay.notifications.NotificationCipher;
import io.kulipa.dialects.scantopay.notifications.ReversingUnacknowledgedPurchase;
import io.kulipa.dialects.scantopay.notifications.ScantopayNotifications;
import io.kulipa.dialects.scantopay.notifications.SweepingUnacknowledgedPurchases;
import io.kulipa.dialects.scantopay.purchases.AirtimeLimits;
import io.kulipa.dialects.scantopay.purchases.PurchasingWithCard;
import io.kulipa.dialects.scantopay.purchases.UssdWhitelist;
import io.kulipa.dialects.scantopay.store.JdbiScantopayStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.Secrets;
import io.kulipa.providers.simulator.SimCardAuthorisation;
import io.kulipa.web.ApiDocument;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Scan to Pay's WIG (USSD purchase) API over the core's card world: merchant profiles (Basic or
 * JWT Bearer), codes, card purchases of codes and baskets, balances and card lists, the STK group,
 * and the encrypted TransactionNotificationV3 with the fail-safe reversal of an unacknowledged one.
 */
public final class ScantopayDialect implements Dialect {

    /** The acknowledgement window ("45s", "3s", or milliseconds). */
    public static final String ACK_WINDOW = "SCANTOPAY_ACK_WINDOW";
    /** The wait after a reversal's first refusal by the core ("10s"); it doubles with each next refusal. */
    public static final String REVERSAL_RETRY_FIRST = "SCANTOPAY_REVERSAL_RETRY_FIRST";
    /** MSISDNs (comma separated) whose customer accounts are suspended (434), for the sandbox. */
    public static final String SUSPENDED_CLIENTS = "SCANTOPAY_SUSPENDED_MSISDNS";
    public static final String BOOTSTRAP_USERNAME = "BOOTSTRAP_SCANTOPAY_USERNAME";
    public static final String BOOTSTRAP_PASSWORD = "BOOTSTRAP_SCANTOPAY_PASSWORD";
    public static final String BOOTSTRAP_NOTIFICATION_URL = "BOOTSTRAP_SCANTOPAY_NOTIFICATION_URL";
    /** The sandbox's suspended customer, listed in docs/scantopay.md. */
    public static final String SANDBOX_SUSPENDED_MSISDN = "27839999999";
    static final String DEMO_FIELD = "scantopay";
    public static final String DEMO_USERNAME = "demo-scantopay";

    private Settings settings;
    private JdbiScantopayStore store;
    private ConfiguringNotifications notifications;
    private ScantopayNotifications format;
    private volatile Demo demo;

    /** The demo merchant's Scan to Pay credentials of this start (sandbox only), in clear. */
    public record Demo(String username, String password, String notificationKey) {
    }

    @Override
    public String name() {
        return PurchasingWithCard.DIALECT;
    }

    @Override
    public List<ApiDocument> apiDocuments() {
        return List.of(new ApiDocument("Scan to Pay: WIG USSD purchase API", "scantopay-wig.yaml"));
    }

    @Override
    public void install(Core core, Installation installation) {
        settings = core.settings();
        store = new JdbiScantopayStore(core.database().jdbi());
        String window = settings.value(ACK_WINDOW);
        Duration ackWindow = window == null ? ScantopayNotifications.ACK_WINDOW_DEFAULT
                : Settings.duration(window, "KULIPA_" + ACK_WINDOW);
        notifications = new ConfiguringNotifications(store, core.cards());
        String retry = settings.value(REVERSAL_RETRY_FIRST);
        Duration retryFirst = retry == null ? ReversingUnacknowledgedPurchase.REFUSED_RETRY_FIRST
                : Settings.duration(retry, "KULIPA_" + REVERSAL_RETRY_FIRST);
        ReversingUnacknowledgedPurchase reversing = new ReversingUnacknowledgedPurchase(core.payments(),
                core.merchants(), core.refunding()::refund, store, retryFirst);
        Function<Payment, ScantopayNotifications.Render> states = p -> render(core, p);
        format = new ScantopayNotifications(core.payments(), store, core.cards(), states, ackWindow, reversing);
        installation.callbackFormat(PurchasingWithCard.DIALECT, format);
        String suspended = settings.value(SUSPENDED_CLIENTS);
        Set<String> suspendedClients = suspended == null ? (core.sandbox() ? Set.of(SANDBOX_SUSPENDED_MSISDN) : Set.of())
                : Set.of(suspended.split("\\s*,\\s*"));
        UssdWhitelist whitelist = UssdWhitelist.load();
        PurchasingWithCard purchasing = new PurchasingWithCard(core.cardPayments(), store,
                AirtimeLimits.load(), whitelist, suspendedClients, core.clock());
        installation.routes(new ScantopayRoutes(new Authenticating(store, core.clock()), core.merchants(),
                core.payments(), store, purchasing, core.cards(), core.issuers(), whitelist, states, core.clock()));
        installation.routes(new ScantopayOpsRoutes(core.admin(), core.merchants(), store, notifications, core.guard(), store));
        if (core.sandbox()) {
            installation.routes(new ScantopaySandboxRoutes(core.issuers(), core.cards()));
        }
        installation.background(new SweepingUnacknowledgedPurchases(store, reversing, ackWindow));
    }

    /** The TxState of a purchase from the core payment, the issuer's answer and its reversal. */
    private static ScantopayNotifications.Render render(Core core, Payment p) {
        Optional<SimCardAuthorisation> a = core.issuers().authorisation(p.id().toString());
        Optional<Payment> reversal = core.payments().find(p.merchantId(), PurchasingWithCard.DIALECT,
                PaymentKind.REFUND, ReversingUnacknowledgedPurchase.reversalId(p));
        boolean awaiting = a.map(x -> x.status() == SimCardAuthorisation.Status.AWAITING_PIN).orElse(false);
        String bank = a.map(SimCardAuthorisation::responseCode).orElse(null);
        TxState state = TxState.of(p, awaiting, bank, reversal);
        return new ScantopayNotifications.Render(state, bank, state == TxState.SUCCESS || state == TxState.END_REVERSED
                ? a.map(SimCardAuthorisation::providerRef).orElse(null) : null);
    }

    /** The demo merchant's profile (Basic, EXTERNAL and STK) and notification key, kept across starts. */
    @Override
    public void bootstrapDemo(DemoMerchant demoMerchant) {
        var previous = demoMerchant.previous().path(DEMO_FIELD);
        var id = demoMerchant.merchant().id();
        String username = Optional.ofNullable(settings.value(BOOTSTRAP_USERNAME)).orElse(DEMO_USERNAME);
        String password = Optional.ofNullable(settings.value(BOOTSTRAP_PASSWORD))
                .orElse(previous.path("password").asText(""));
        if (password.isEmpty()) {
            password = Secrets.random();
        }
        Profile.Mode keep = store.byMerchant(id).map(Profile::mode).orElse(Profile.Mode.BASIC);
        if (keep == Profile.Mode.BASIC) {
            Profile p = new Profile(id, username, Profile.Mode.BASIC, Secrets.digest(password), null,
                    Set.of(Profile.Role.EXTERNAL, Profile.Role.STK), false, null, false);
            if (!store.save(p)) {
                throw new IllegalStateException("the Scan to Pay username " + username + " belongs to another merchant");
            }
        }
        String url = settings.value(BOOTSTRAP_NOTIFICATION_URL);
        String current = store.byMerchant(id).map(Profile::notificationUrl).orElse(null);
        notifications.configure(id, url != null ? url : current);
        String key = notifications.key(id).orElseThrow();
        if (!NotificationCipher.isHexKey(key)) {
            // A key of an earlier Kulipa (Base64, not the Portal's 32 hex digits): the sandbox's
            // demo merchant gets one in the documented form.
            key = notifications.renewKey(id);
        }
        var file = demoMerchant.file().putObject(DEMO_FIELD);
        file.put("username", username);
        file.put("password", password);
        file.put("notificationKey", key);
        file.put("notificationUrl", url != null ? url : current);
        demoMerchant.bannerLine("Scan to Pay", username + " / " + password + " (Basic, /pluto)");
        demoMerchant.bannerLine("StP notify key", key + " (hex; AES-128-CBC, zero IV, Base64 body)");
        demo = new Demo(username, password, key);
    }

    /** The demo merchant's Scan to Pay credentials of this start (sandbox only; null before bootstrap). */
    public Demo demo() {
        return demo;
    }

    /** A merchant's notification key in clear, for tests and tools. */
    public Optional<String> notificationKey(java.util.UUID merchant) {
        return notifications.key(merchant);
    }

    /** The clear notification body of a payment, for tests. */
    public String clearNotification(Payment p) {
        return format.body(p).toString();
    }
}
