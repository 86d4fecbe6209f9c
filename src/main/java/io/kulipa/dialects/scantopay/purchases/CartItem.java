package io.kulipa.dialects.scantopay.purchases;

import java.math.BigDecimal;

/** One line of a direct purchase's basket, as the merchant sent it. */
public record CartItem(String description, String quantity, BigDecimal value, String destination, String itemType) {

    public boolean airtime() {
        return itemType != null && itemType.toUpperCase(java.util.Locale.ROOT).startsWith("AIRTIME");
    }
}
