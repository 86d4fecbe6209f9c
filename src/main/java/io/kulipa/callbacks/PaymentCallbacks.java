package io.kulipa.callbacks;

import io.kulipa.outbox.Job;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentStore;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The callbacks of final payments, subject kind {@value Job#PAYMENT}: rendered in the payment's
 * dialect by its {@link CallbackFormat}, to the payment's own callback URL or, where the dialect
 * allows it, the merchant's URL for its kind.
 */
public final class PaymentCallbacks implements CallbackSource {

    private final PaymentStore payments;
    private final MerchantStore merchants;
    private final Map<String, CallbackFormat> formats;

    /** @param formats by dialect name */
    public PaymentCallbacks(PaymentStore payments, MerchantStore merchants, Map<String, CallbackFormat> formats) {
        this.payments = payments;
        this.merchants = merchants;
        this.formats = Map.copyOf(formats);
    }

    @Override
    public Optional<Callback> callback(String subjectId) {
        UUID id;
        try {
            id = UUID.fromString(subjectId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return payments.get(id).filter(p -> p.state().isFinal()).map(this::callback);
    }

    private Callback callback(Payment p) {
        CallbackFormat format = formats.get(p.dialect());
        String noun = p.kind().name().toLowerCase();
        if (format == null) {
            // A payment of a dialect without a callback format of its own (an invoice's deposit,
            // whose merchant hears of the invoice instead) is never sent to another dialect's URL.
            return new Callback(p.dialect(), noun, p.merchantId(), null, "POST", null, CallbackPolicy.ONCE);
        }
        Optional<String> url = Optional.ofNullable(p.callbackUrl())
                .or(() -> !format.usesMerchantCallbackUrl() ? Optional.empty()
                        : merchants.byId(p.merchantId()).flatMap((Merchant m) -> m.callbackUrl(p.kind())));
        return new Callback(p.dialect(), noun, p.merchantId(), url.orElse(null), format.method(p),
                url.isPresent() ? format.render(p) : null, format.policy(), format.contentType(p));
    }
}
