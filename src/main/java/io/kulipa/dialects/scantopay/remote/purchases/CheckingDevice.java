package io.kulipa.dialects.scantopay.remote.purchases;

import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The velocity check of {@code deviceData}: a purchase whose device is further from the wallet
 * profile's previous located purchase than an airliner could have flown in the time between
 * (the business rules' example: Cape Town five minutes ago, now Lagos) is flagged for fraud
 * review on the payment's history. It is a flag, not a refusal: the issuer still decides.
 */
public final class CheckingDevice {

    /** Faster than this between two purchases is implausible (a fast airliner, with margin). */
    public static final double SPEED_MAX_KM_PER_HOUR = 1000.0;
    /** Jumps shorter than this are never flagged (GPS noise, a neighbouring town). */
    public static final double DISTANCE_MIN_KM = 50.0;
    public static final String EVENT = "FRAUD_REVIEW";
    private static final double EARTH_RADIUS_KM = 6371.0;

    public record Verdict(BigDecimal latitude, BigDecimal longitude, String flag) {
    }

    private final RemoteTransactionStore store;
    private final PaymentStore payments;

    public CheckingDevice(RemoteTransactionStore store, PaymentStore payments) {
        this.store = store;
        this.payments = payments;
    }

    public Verdict check(UUID brandId, String msisdn, PurchasingTransaction.Device device, Instant now) {
        if (device == null || device.latitude() == null || device.longitude() == null) {
            return new Verdict(null, null, null);
        }
        Optional<RemoteTransaction> last = store.lastLocated(brandId, msisdn);
        if (last.isEmpty() || last.get().purchasedAt() == null) {
            return new Verdict(device.latitude(), device.longitude(), null);
        }
        RemoteTransaction l = last.get();
        double km = distanceKm(l.latitude().doubleValue(), l.longitude().doubleValue(),
                device.latitude().doubleValue(), device.longitude().doubleValue());
        double hours = Math.max(Duration.between(l.purchasedAt(), now).toMillis(), 1) / 3_600_000.0;
        double speed = km / hours;
        String flag = km >= DISTANCE_MIN_KM && speed > SPEED_MAX_KM_PER_HOUR
                ? String.format(java.util.Locale.ROOT, "implausible device jump: %.0f km from the purchase %s of "
                + "%s minutes before (%.0f km/h)", km, l.transactionId(),
                Duration.between(l.purchasedAt(), now).toMinutes(), speed) : null;
        return new Verdict(device.latitude(), device.longitude(), flag);
    }

    /** Notes the flag on the payment's history, where fraud review reads it. */
    public void flag(Payment payment, String flag) {
        payments.note(payment.id(), EVENT, flag);
    }

    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }
}
