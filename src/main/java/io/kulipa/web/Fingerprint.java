package io.kulipa.web;

import io.kulipa.payments.Secrets;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A digest of a request body that ignores key order and white space, so that a true retry
 * has the same fingerprint as the original and a reused id with another body does not.
 */
public final class Fingerprint {

    /** Numbers stay exact decimals, so that 15.5 and 15.50 (two different amounts as written) differ. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Fingerprint() {
    }

    public static String of(JsonNode body) {
        try {
            Object tree = CANONICAL.treeToValue(body, Object.class);
            return Secrets.digest(CANONICAL.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint a parsed body", e);
        }
    }
}
