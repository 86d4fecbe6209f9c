package io.kulipa.providers;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A mobile network operator's money service in one country, as the catalog lists it. */
public record Correspondent(String id, String mno, String country, String currency,
                            List<String> prefixes, Map<Operation, OperationLimits> operations) {

    public Correspondent {
        prefixes = List.copyOf(prefixes);
        operations = Map.copyOf(operations);
    }

    public Optional<OperationLimits> limits(Operation operation) {
        return Optional.ofNullable(operations.get(operation));
    }
}
