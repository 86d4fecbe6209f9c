package io.kulipa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.kulipa.money.Msisdn;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the sandbox and ops endpoints (Kulipa's own tools, not a provider's API) read from a
 * request: a JSON body and a handset's number in the path. Each dialect parses its own API's
 * bodies with its own rules; these are the tools' shared ones.
 */
public final class ToolRequests {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BAD_MSISDN = "msisdn: must be digits only with the country code, no '+' and no leading 0";

    private ToolRequests() {
    }

    /** The JSON body, or an empty object when there is none or it does not parse. */
    public static JsonNode body(Context ctx) {
        try {
            JsonNode node = MAPPER.readTree(ctx.bodyAsBytes());
            return node == null ? MAPPER.createObjectNode() : node;
        } catch (Exception e) {
            return MAPPER.createObjectNode();
        }
    }

    /** Runs {@code then} with the path's {@code msisdn}, or answers 400 naming it when it is malformed. */
    public static void withMsisdn(Context ctx, Consumer<String> then) {
        String msisdn = ctx.pathParam("msisdn");
        if (!Msisdn.isWellFormed(msisdn)) {
            ctx.status(400).json(Map.of("errorMessage", BAD_MSISDN));
            return;
        }
        then.accept(msisdn);
    }
}
