package io.kulipa.web;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The ways a fuzz request is spoiled, one per request: in the body (wrong types, missing and
 * extra fields, huge strings, NUL, lone surrogates, numbers beyond double, deep nesting, invalid
 * UTF-8, truncation, a wrong Content-Type), in a path, query or header parameter (see
 * {@link HostileValues}), or in the credentials. Each mutation writes what it did into
 * {@link FuzzRequest#mutation}; a small share of requests goes unspoiled, as documented.
 */
final class Mutations {

    /** The share of requests sent as documented, in percent. */
    static final int UNSPOILED_PERCENT = 5;
    /** Above {@code JsonBody.MAX_NESTING_DEPTH} by far, and above Jackson's own limit. */
    static final int DEEP_NESTING_LEVELS = 5_000;
    /** Above the gateway's request cap of 256 KiB. */
    static final int HUGE_STRING_CHARS = 300 * 1024;
    /** Within the cap, but far longer than any field allows. */
    static final int LONG_STRING_CHARS = 20 * 1024;
    /**
     * How often each family is drawn, relative to the others: bodies and path values most, since
     * they reach the handlers; credentials least, since one refusal there covers all.
     */
    static final Map<String, Integer> FAMILY_WEIGHTS = Map.of("body", 4, "path", 3, "query", 2, "header", 2,
            "credentials", 1);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A mutation and its family (body, path, query, header, credentials): a request's family is
     * drawn first, so that the many kinds of body mutation do not crowd out the parameters.
     */
    private record Mutation(String family, Predicate<FuzzRequest> applies, Function<FuzzRequest, String> apply) {
    }

    private final Random random;
    private final List<Mutation> all;
    /**
     * How many hostile path values each operation has had: they are taken in turn, the most
     * telling first, so that every operation meets NUL, surrogates and invalid UTF-8 early.
     */
    private final Map<String, Integer> pathValuesTaken = new java.util.HashMap<>();

    Mutations(Random random) {
        this.random = random;
        this.all = List.of(
                json(r -> "missing field " + remove(r)),
                json(r -> wrongType(r)),
                json(r -> raw(r, "\"ab\\u0000cd\"", "NUL escape")),
                json(r -> raw(r, "\"ab\u0000cd\"", "raw NUL byte in a string")),
                json(r -> raw(r, "\"\\ud800\"", "lone high surrogate")),
                json(r -> raw(r, "\"x\\udc00y\"", "lone low surrogate")),
                json(r -> raw(r, "1e309", "1e309")),
                json(r -> raw(r, "-1e309", "-1e309")),
                json(r -> raw(r, "1e-400", "1e-400")),
                json(r -> raw(r, "9".repeat(400), "400-digit integer")),
                json(r -> raw(r, "\"" + "x".repeat(HUGE_STRING_CHARS) + "\"", HUGE_STRING_CHARS + "-char string")),
                json(r -> raw(r, "\"" + "9".repeat(LONG_STRING_CHARS) + "\"", LONG_STRING_CHARS + "-char string")),
                json(r -> raw(r, "[".repeat(DEEP_NESTING_LEVELS) + "]".repeat(DEEP_NESTING_LEVELS),
                        DEEP_NESTING_LEVELS + " nested arrays")),
                json(r -> raw(r, "{\"a\":".repeat(DEEP_NESTING_LEVELS) + "1" + "}".repeat(DEEP_NESTING_LEVELS),
                        DEEP_NESTING_LEVELS + " nested objects")),
                json(r -> rawBytes(r, new byte[] {'"', (byte) 0xC3, 0x28, '"'}, "invalid UTF-8 C3 28")),
                json(r -> rawBytes(r, new byte[] {'"', (byte) 0xFF, (byte) 0xFE, '"'}, "invalid UTF-8 FF FE")),
                json(r -> rawBytes(r, new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
                        "surrogate encoded as UTF-8")),
                json(r -> rawBytes(r, new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}, "overlong UTF-8")),
                json(r -> extraField(r)),
                json(r -> duplicateKey(r)),
                json(r -> truncate(r)),
                json(r -> whole(r, "", "empty body")),
                json(r -> whole(r, pick(List.of("[]", "null", "42", "\"text\"", "true", "{", "}", "[{}]")),
                        "top level not an object")),
                json(r -> whole(r, "\u00ef\u00bb\u00bf" + new String(r.bodyBytes(), StandardCharsets.ISO_8859_1),
                        "byte order mark first")),
                json(r -> whole(r, new String(r.bodyBytes(), StandardCharsets.ISO_8859_1) + "}x", "trailing garbage")),
                json(r -> whole(r, "{\"a\":1,}", "trailing comma")),
                json(r -> whole(r, "{'a':1}", "single quotes")),
                json(r -> whole(r, "{\"a\":NaN}", "NaN literal")),
                body(r -> contentType(r)),
                form(r -> rawForm(r, pick(List.of("%00", "%ZZ", "%FF%FE", "%ED%A0%80", "x".repeat(LONG_STRING_CHARS),
                        "a=b=c", "%")), "hostile form value")),
                form(r -> "missing field " + remove(r)),
                form(r -> whole(r, "{\"json\":\"instead of a form\"}", "JSON for a form")),
                new Mutation("path", r -> !r.operation.parameters("path").isEmpty(), this::hostilePath),
                new Mutation("query", r -> !r.operation.parameters("query").isEmpty(), this::hostileQuery),
                new Mutation("header", r -> !r.operation.parameters("header").isEmpty(), this::hostileHeader),
                new Mutation("header", r -> !r.operation.parameters("header").isEmpty(), this::missingHeader),
                new Mutation("credentials", r -> !r.operation.security().isEmpty(), this::badCredentials),
                new Mutation("body", r -> !r.operation.hasBody(), r -> whole(r, "{\"unexpected\":\"body\"}",
                        "a body where none is taken")));
    }

    /** Spoils one thing in the request, or, now and then, nothing. */
    void apply(FuzzRequest request) {
        if (random.nextInt(100) < UNSPOILED_PERCENT) {
            return;
        }
        List<Mutation> applicable = all.stream().filter(m -> m.applies().test(request)).toList();
        if (applicable.isEmpty()) {
            return;
        }
        List<String> families = new ArrayList<>();
        applicable.stream().map(Mutation::family).distinct()
                .forEach(f -> families.addAll(java.util.Collections.nCopies(FAMILY_WEIGHTS.get(f), f)));
        String family = pick(families);
        request.mutation = pick(applicable.stream().filter(m -> m.family().equals(family)).toList()).apply()
                .apply(request);
    }

    private static Mutation json(Function<FuzzRequest, String> apply) {
        return new Mutation("body", r -> r.operation.jsonBody() && r.body != null, apply);
    }

    private static Mutation form(Function<FuzzRequest, String> apply) {
        return new Mutation("body", r -> r.operation.formBody() && r.body != null, apply);
    }

    private static Mutation body(Function<FuzzRequest, String> apply) {
        return new Mutation("body", r -> r.operation.hasBody(), apply);
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** A random field or item of the body, as a JSON pointer; null when the body has none. */
    private String somePath(FuzzRequest r) {
        List<String> paths = FuzzRequest.fieldPaths(r.body);
        return paths.isEmpty() ? null : pick(paths);
    }

    private void set(FuzzRequest r, String path, JsonNode value) {
        if (path == null) {
            if (r.body.isObject()) {
                ((ObjectNode) r.body).set("fuzz", value);
            } else {
                r.body = value;
            }
            return;
        }
        JsonPointer pointer = JsonPointer.compile(path);
        JsonNode parent = r.body.at(pointer.head());
        if (parent.isObject()) {
            ((ObjectNode) parent).set(pointer.last().getMatchingProperty(), value);
        } else if (parent.isArray()) {
            ((ArrayNode) parent).set(pointer.last().getMatchingIndex(), value);
        }
    }

    private String remove(FuzzRequest r) {
        String path = somePath(r);
        if (path == null) {
            return "(none to remove)";
        }
        JsonPointer pointer = JsonPointer.compile(path);
        JsonNode parent = r.body.at(pointer.head());
        if (parent.isObject()) {
            ((ObjectNode) parent).remove(pointer.last().getMatchingProperty());
        } else if (parent.isArray()) {
            ((ArrayNode) parent).remove(pointer.last().getMatchingIndex());
        }
        return path;
    }

    private String wrongType(FuzzRequest r) {
        String path = somePath(r);
        Map.Entry<String, JsonNode> value = pick(List.of(
                Map.entry("number", NODES.numberNode(7)), Map.entry("decimal", NODES.numberNode(-0.5)),
                Map.entry("boolean", NODES.booleanNode(false)), Map.entry("null", NODES.nullNode()),
                Map.entry("array", NODES.arrayNode().add("x")), Map.entry("object", NODES.objectNode().put("x", 1)),
                Map.entry("string", NODES.textNode("wrong")), Map.entry("empty string", NODES.textNode(""))));
        set(r, path, value.getValue());
        return "wrong type at " + path + ": " + value.getKey();
    }

    private String raw(FuzzRequest r, String json, String what) {
        return rawBytes(r, json.getBytes(StandardCharsets.UTF_8), what);
    }

    private String rawBytes(FuzzRequest r, byte[] bytes, String what) {
        String path = somePath(r);
        set(r, path, NODES.textNode(FuzzRequest.RAW_TOKEN));
        r.rawValue = bytes;
        return what + " at " + path;
    }

    private String extraField(FuzzRequest r) {
        ObjectNode target = RequestGenerator.someObject(r.body, random);
        String name = pick(List.of("fuzzExtra", "__proto__", "constructor", "", "a\u0000b", "\u00e9\u4e2d"));
        if (target == null) {
            return whole(r, "{\"fuzzExtra\":1}", "extra field instead of the body");
        }
        target.set(name, NODES.objectNode().put("x", "y"));
        return "extra field " + (name.isEmpty() ? "(empty name)" : name.replace("\u0000", "\\0"));
    }

    private String duplicateKey(FuzzRequest r) {
        if (!r.body.isObject() || r.body.isEmpty()) {
            return whole(r, "{\"a\":1,\"a\":2}", "duplicate key");
        }
        String first = r.body.fieldNames().next();
        String text = new String(r.bodyBytes(), StandardCharsets.UTF_8);
        return whole(r, "{\"" + first + "\":null," + text.substring(1), "duplicate key " + first);
    }

    private String truncate(FuzzRequest r) {
        byte[] bytes = r.bodyBytes();
        int at = bytes.length <= 1 ? 0 : 1 + random.nextInt(bytes.length - 1);
        byte[] cut = java.util.Arrays.copyOf(bytes, at);
        r.rawBody = cut;
        return "truncated at byte " + at + " of " + bytes.length;
    }

    private String whole(FuzzRequest r, String text, String what) {
        r.rawBody = text.getBytes(StandardCharsets.ISO_8859_1);
        if (r.contentType == null) {
            r.contentType = "application/json";
        }
        return what;
    }

    private String rawForm(FuzzRequest r, String wire, String what) {
        String path = somePath(r);
        set(r, path == null ? null : "/" + path.split("/")[1], NODES.textNode(FuzzRequest.RAW_TOKEN));
        r.rawValue = wire.getBytes(StandardCharsets.ISO_8859_1);
        return what + " " + (wire.length() > 20 ? wire.length() + " chars" : wire);
    }

    private String contentType(FuzzRequest r) {
        String type = pick(java.util.Arrays.asList("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1", "application/json; charset=x",
                "application/jsonx", "*/*", "", null));
        r.contentType = type;
        return "Content-Type " + (type == null ? "absent" : "'" + type + "'");
    }

    private String hostilePath(FuzzRequest r) {
        JsonNode p = pick(r.operation.parameters("path"));
        int taken = pathValuesTaken.merge(r.operation.toString(), 1, Integer::sum) - 1;
        HostileValues.Value v = HostileValues.PATH.get(taken % HostileValues.PATH.size());
        String name = p.path("name").asText();
        r.pathValues.put(name, random.nextBoolean() ? v.wire() : r.pathValues.get(name) + v.wire());
        return "path " + name + ": " + v.description();
    }

    private String hostileQuery(FuzzRequest r) {
        JsonNode p = pick(r.operation.parameters("query"));
        HostileValues.Value v = HostileValues.pick(HostileValues.PATH, random);
        r.query.put(p.path("name").asText(), v.wire());
        return "query " + p.path("name").asText() + ": " + v.description();
    }

    private String hostileHeader(FuzzRequest r) {
        JsonNode p = pick(r.operation.parameters("header"));
        HostileValues.Value v = HostileValues.pick(HostileValues.HEADER, random);
        r.headers.put(p.path("name").asText(), v.wire());
        return "header " + p.path("name").asText() + ": " + v.description();
    }

    private String missingHeader(FuzzRequest r) {
        JsonNode p = pick(r.operation.parameters("header"));
        r.headers.remove(p.path("name").asText());
        return "header " + p.path("name").asText() + " absent";
    }

    private String badCredentials(FuzzRequest r) {
        List<String> present = new ArrayList<>(r.headers.keySet().stream()
                .filter(h -> h.equals("Authorization") || h.equals("Ocp-Apim-Subscription-Key")).toList());
        String what = pick(List.of("absent", "garbage", "other scheme", "long"));
        String header = present.isEmpty() ? "Authorization" : pick(present);
        switch (what) {
            case "absent" -> r.headers.remove(header);
            case "garbage" -> r.headers.put(header, "Bearer %00' OR 1=1");
            case "other scheme" -> r.headers.put(header, "Digest username=x");
            default -> r.headers.put(header, "Bearer " + "A".repeat(HostileValues.LONG_VALUE_CHARS));
        }
        return "credential " + header + " " + what;
    }
}
