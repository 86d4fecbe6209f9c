package io.kulipa.providers;

import java.math.BigDecimal;

/** What one correspondent allows for one operation: decimal places and amount range. */
public record OperationLimits(int decimals, BigDecimal min, BigDecimal max) {
}
