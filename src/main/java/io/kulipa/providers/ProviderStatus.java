package io.kulipa.providers;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** What the operator knows about a payment when asked. */
public sealed interface ProviderStatus {

    /** The operator has never seen this reference. */
    record NotFound() implements ProviderStatus {
    }

    /** The operator has it and has not finished. */
    record Pending(String providerReference) implements ProviderStatus {
    }

    /** A final outcome: completed or failed. */
    sealed interface Final extends ProviderStatus {
        Instant respondedAt();
    }

    record Completed(String providerReference, BigDecimal processedAmount, Instant respondedAt,
                     Map<String, String> correspondentIds) implements Final {
        public Completed {
            correspondentIds = Map.copyOf(correspondentIds);
        }
    }

    record Failed(String providerReference, String failureCode, String failureMessage,
                  Instant respondedAt) implements Final {
    }
}
