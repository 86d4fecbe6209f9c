package io.kulipa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.kulipa.money.Msisdn;
import java.util.Map;
import java.util.Optional;
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

    /**
     * The JSON object of the body (an empty one when there is no body), or empty once a 400
     * naming the problem has been written: a tool changes nothing on a body it cannot read.
     * A tool takes a body without a Content-Type, as curl's {@code -d} sends it.
     */
    public static Optional<JsonNode> body(Context ctx) {
        JsonBody.Read read = JsonBody.read(ctx, false);
        if (read.absent()) {
            return Optional.of(MAPPER.createObjectNode());
        }
        if (read.refused() || !read.node().isObject()) {
            ctx.status(400).json(Map.of("errorMessage", read.refused() ? read.problem()
                    : "body: must be a JSON object"));
            return Optional.empty();
        }
        return Optional.of(read.node());
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
