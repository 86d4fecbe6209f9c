package io.kulipa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One request the fuzz test sends, built in steps: the generator fills it with plausible values,
 * then a mutation spoils one thing and says what in {@link #mutation}. Path and query values are
 * kept as they go on the wire (already percent-encoded), so that a mutation can send bytes no
 * encoder would produce.
 */
final class FuzzRequest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stands for a value that a mutation writes into the serialised body as raw bytes. */
    static final String RAW_TOKEN = "@@kulipa-fuzz-raw@@";

    final ApiOperation operation;
    final Map<String, String> pathValues = new LinkedHashMap<>();
    final Map<String, String> query = new LinkedHashMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    JsonNode body;
    /** Raw bytes that replace {@link #RAW_TOKEN} in the serialised body. */
    byte[] rawValue;
    /** A whole body that replaces the serialised one. */
    byte[] rawBody;
    String contentType;
    String mutation = "none (as documented)";

    FuzzRequest(ApiOperation operation) {
        this.operation = operation;
        this.contentType = operation.mediaType();
    }

    /** The path with its values in place, then the query string. */
    String target() {
        String path = operation.path();
        for (Map.Entry<String, String> e : pathValues.entrySet()) {
            path = path.replace("{" + e.getKey() + "}", e.getValue());
        }
        if (query.isEmpty()) {
            return path;
        }
        StringJoiner q = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> q.add(k + "=" + v));
        return path + q;
    }

    byte[] bodyBytes() {
        if (rawBody != null) {
            return rawBody;
        }
        if (body == null) {
            return null;
        }
        byte[] text = operation.formBody() ? form(body) : json(body);
        return rawValue == null ? text : replace(text, ("\"" + RAW_TOKEN + "\"").getBytes(StandardCharsets.UTF_8),
                operation.formBody() ? RAW_TOKEN.getBytes(StandardCharsets.UTF_8) : null, rawValue);
    }

    private static byte[] json(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A form body of the object's fields; values that are not text go as their JSON. */
    private static byte[] form(JsonNode body) {
        StringJoiner out = new StringJoiner("&");
        body.properties().forEach(e -> out.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + (e.getValue().asText().equals(RAW_TOKEN) ? RAW_TOKEN
                : URLEncoder.encode(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString(),
                        StandardCharsets.UTF_8))));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The text with its first {@code quoted} (or else {@code bare}) occurrence replaced by {@code with}. */
    private static byte[] replace(byte[] text, byte[] quoted, byte[] bare, byte[] with) {
        for (byte[] needle : bare == null ? List.of(quoted) : List.of(quoted, bare)) {
            int at = indexOf(text, needle);
            if (at >= 0) {
                byte[] out = new byte[text.length - needle.length + with.length];
                System.arraycopy(text, 0, out, 0, at);
                System.arraycopy(with, 0, out, at, with.length);
                System.arraycopy(text, at + needle.length, out, at + with.length, text.length - at - needle.length);
                return out;
            }
        }
        return text;
    }

    private static int indexOf(byte[] text, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= text.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (text[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** One line for a failure report: method, path, mutation. */
    String describe() {
        String target = target();
        String shown = target.length() > MAX_SHOWN_TARGET_CHARS
                ? target.substring(0, MAX_SHOWN_TARGET_CHARS) + "…(" + target.length() + " chars)" : target;
        return operation.method() + " " + shown + " [" + mutation + "]";
    }

    static final int MAX_SHOWN_TARGET_CHARS = 160;

    static List<String> fieldPaths(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String child = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                out.add(child);
                collect(e.getValue(), child, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(at + "/" + i);
                collect(node.get(i), at + "/" + i, out);
            }
        }
    }
}
