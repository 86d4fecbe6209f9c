package io.kulipa.dialects.scantopay.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kulipa.dialects.scantopay.remote.cards.ValidatingCardData;
import io.kulipa.dialects.scantopay.remote.pins.PinBlocks;
import io.kulipa.dialects.scantopay.remote.pins.PinKey;
import io.kulipa.web.JsonBody;
import io.kulipa.web.Routes;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sandbox only: what PinSecLib does on a wallet's side, as a tool: the ISO 9564 format 0 block of
 * a PIN for a PAN, encrypted under the published PIN key, ready for {@code pinData.encryptedData}.
 * A test PAN and PIN only; a real wallet encrypts on the device (docs/scantopay-remote.md shows
 * the same with openssl). Nothing of the request is kept or logged.
 */
final class SandboxPinBlockRoutes implements Routes {

    static final String PATH = "/sandbox/scantopay-remote/pin-block";

    private final PinKey key;

    SandboxPinBlockRoutes(PinKey key) {
        this.key = key;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::encrypt);
    }

    private void encrypt(Context ctx) {
        JsonBody.Read read = JsonBody.read(ctx, true);
        if (read.refused() || read.absent() || !read.node().isObject()) {
            ctx.status(400).json(Map.of("errorMessage", read.refused() ? read.problem() : "body: a JSON object "
                    + "with pan and pin"));
            return;
        }
        JsonNode body = read.node();
        String pan = body.path("pan").isTextual() ? body.path("pan").asText().strip() : "";
        String pin = body.path("pin").isTextual() ? body.path("pin").asText().strip() : "";
        if (!pan.matches("[0-9]{" + ValidatingCardData.PAN_MIN_DIGITS + "," + ValidatingCardData.PAN_MAX_DIGITS + "}")) {
            ctx.status(400).json(Map.of("errorMessage", "pan: 14 to 19 digits"));
            return;
        }
        if (!pin.matches("[0-9]{" + PinBlocks.PIN_MIN_DIGITS + "," + PinBlocks.PIN_MAX_DIGITS + "}")) {
            ctx.status(400).json(Map.of("errorMessage", "pin: 4 to 12 digits"));
            return;
        }
        byte[] block = PinBlocks.format0(pin, pan);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keyId", key.keyId());
        out.put("pinBlock", HexFormat.of().withUpperCase().formatHex(block));
        out.put("encryptedData", PinKey.encrypt(key.publicKey(), block));
        ctx.header("Cache-Control", "no-store");
        ctx.json(out);
    }
}
