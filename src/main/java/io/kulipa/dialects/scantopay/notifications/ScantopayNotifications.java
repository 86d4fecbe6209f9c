package io.kulipa.dialects.scantopay.notifications;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.callbacks.CallbackFormat;
import io.kulipa.callbacks.CallbackPolicy;
import io.kulipa.callbacks.RetryPolicy;
import io.kulipa.cards.CardVault;
import io.kulipa.cards.InitiatingCardPayment;
import io.kulipa.dialects.scantopay.ProfileStore;
import io.kulipa.dialects.scantopay.TxState;
import io.kulipa.dialects.scantopay.purchases.PurchasingWithCard;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentStore;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The TransactionNotificationV3 of a terminal WIG purchase (and of its reversal, which tells the
 * merchant END_REVERSED for the same transactionId), encrypted with the merchant's notification
 * key ({@link NotificationCipher}). The retries run inside the acknowledgement window; a purchase
 * whose notification is finally not acknowledged with HTTP 200 is reversed.
 */
public final class ScantopayNotifications implements CallbackFormat {

    /** Scan to Pay's acknowledgement window. */
    public static final Duration ACK_WINDOW_DEFAULT = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PaymentStore payments;
    private final ProfileStore profiles;
    private final CardVault vault;
    private final Function<Payment, Render> states;
    private final CallbackPolicy policy;

    /** What the issuer adds to a purchase's state. */
    public record Render(TxState state, String bankResponse, String authCode) {
    }

    public ScantopayNotifications(PaymentStore payments, ProfileStore profiles, CardVault vault,
                                  Function<Payment, Render> states, Duration ackWindow,
                                  ReversingUnacknowledgedPurchase reversing) {
        this.payments = payments;
        this.profiles = profiles;
        this.vault = vault;
        this.states = states;
        this.policy = reversing.policyWithin(ackWindow);
    }

    @Override
    public String render(Payment p) {
        String json = body(p).toString();
        Optional<ProfileStore.Sealed> key = profiles.notificationKey(p.merchantId());
        if (key.isEmpty()) {
            // No key: the spec sends encrypted payloads only "provided the URL has a generated key".
            return json;
        }
        return NotificationCipher.encrypt(json, vault.openSecret(key.get().sealed(), key.get().keyId(),
                p.merchantId()));
    }

    /** A Base64 string when the merchant has a key (always, once a URL was set); JSON in clear otherwise. */
    @Override
    public String contentType(Payment p) {
        return profiles.notificationKey(p.merchantId()).isPresent() ? NotificationCipher.CONTENT_TYPE
                : io.kulipa.callbacks.Callback.JSON;
    }

    /** The clear notification: the purchase (or, for a reversal, the purchase it reversed). */
    public ObjectNode body(Payment p) {
        Payment purchase = p.kind() == PaymentKind.REFUND && p.relatedPaymentId() != null
                ? payments.get(p.relatedPaymentId()).orElse(p) : p;
        Render r = states.apply(purchase);
        ObjectNode n = JSON.createObjectNode();
        n.put("transactionId", Long.parseLong(purchase.clientRef()));
        PurchasingWithCard.meta(purchase, PurchasingWithCard.MERCHANT_REFERENCE).ifPresent(v -> n.put("reference", v));
        PurchasingWithCard.meta(purchase, PurchasingWithCard.CODE).ifPresent(v -> n.put("code", v));
        n.put("amount", purchase.amount());
        n.put("currency", purchase.currency());
        n.put("status", r.state().notificationStatus());
        n.put("txState", r.state().name());
        if (r.bankResponse() != null) {
            n.put("bankResponse", r.bankResponse());
        }
        if (r.authCode() != null) {
            n.put("authCode", r.authCode());
        }
        n.put("retrievalReferenceNumber", purchase.providerRef());
        n.put("msisdn", purchase.msisdn());
        PurchasingWithCard.meta(purchase, PurchasingWithCard.NETWORK).ifPresent(v -> n.put("network", v));
        PurchasingWithCard.meta(purchase, InitiatingCardPayment.CARD_BIN).ifPresent(v -> n.put("cardBin", v));
        PurchasingWithCard.meta(purchase, InitiatingCardPayment.CARD_LAST4).ifPresent(v -> n.put("cardLast4", v));
        n.put("timestamp", (p.updated() == null ? p.created() : p.updated()).toString());
        n.put("version", "V3");
        return n;
    }

    /** Only the profile's notification URL, taken with the purchase: never another dialect's URL. */
    @Override
    public boolean usesMerchantCallbackUrl() {
        return false;
    }

    @Override
    public RetryPolicy retryPolicy() {
        return policy.retries();
    }

    @Override
    public CallbackPolicy policy() {
        return policy;
    }

}
