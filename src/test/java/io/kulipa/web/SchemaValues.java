package io.kulipa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Plausible values for an OpenAPI schema: the schema's own example where it gives one, else a
 * value of its type and format. Every required property is present and each optional one is
 * present half of the time, so that a mutation of the value starts from something the gateway
 * could accept.
 */
final class SchemaValues {

    /** Schemas nest deeper than this only through a cycle; the value stops there. */
    static final int MAX_SCHEMA_DEPTH = 10;
    static final int MAX_ARRAY_ITEMS = 2;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode root;
    private final Random random;

    SchemaValues(JsonNode root, Random random) {
        this.root = root;
        this.random = random;
    }

    /** A UUID drawn from the seeded random, so that a run is repeatable. */
    static String uuid(Random random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    JsonNode value(JsonNode schema) {
        return value(schema, 0);
    }

    private JsonNode value(JsonNode schema, int depth) {
        schema = ApiOperation.resolve(root, schema);
        if (schema.has("example")) {
            return schema.path("example");
        }
        if (schema.path("examples").isArray() && !schema.path("examples").isEmpty()) {
            return schema.path("examples").path(random.nextInt(schema.path("examples").size()));
        }
        if (schema.has("const")) {
            return schema.path("const");
        }
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").path(random.nextInt(schema.path("enum").size()));
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (schema.path(choice).isArray() && !schema.path(choice).isEmpty()) {
                return value(schema.path(choice).path(random.nextInt(schema.path(choice).size())), depth + 1);
            }
        }
        if (schema.path("allOf").isArray()) {
            ObjectNode merged = NODES.objectNode();
            schema.path("allOf").forEach(part -> {
                JsonNode v = value(part, depth + 1);
                if (v.isObject()) {
                    merged.setAll((ObjectNode) v);
                }
            });
            return merged;
        }
        if (depth >= MAX_SCHEMA_DEPTH) {
            return NODES.nullNode();
        }
        return switch (type(schema)) {
            case "object" -> object(schema, depth);
            case "array" -> array(schema, depth);
            case "integer" -> NODES.numberNode(schema.has("minimum") ? schema.path("minimum").asLong() : 1);
            case "number" -> NODES.numberNode(schema.has("minimum") ? schema.path("minimum").asDouble() : 15);
            case "boolean" -> NODES.booleanNode(true);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(string(schema));
        };
    }

    /** The schema's type; for a list of types (3.1) the first that is not null. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (type.isMissingNode()) {
            return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
        }
        return type.asText();
    }

    private ObjectNode object(JsonNode schema, int depth) {
        ObjectNode out = NODES.objectNode();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        schema.path("properties").properties().forEach(p -> {
            if (required.contains(p.getKey()) || random.nextBoolean()) {
                out.set(p.getKey(), value(p.getValue(), depth + 1));
            }
        });
        return out;
    }

    private ArrayNode array(JsonNode schema, int depth) {
        ArrayNode out = NODES.arrayNode();
        int items = Math.max(schema.path("minItems").asInt(1), 1);
        for (int i = 0; i < Math.min(items, MAX_ARRAY_ITEMS); i++) {
            out.add(value(schema.path("items"), depth + 1));
        }
        return out;
    }

    private String string(JsonNode schema) {
        String format = schema.path("format").asText();
        String value = switch (format) {
            case "uuid" -> uuid(random);
            case "date-time" -> "2020-02-21T17:32:28Z";
            case "date" -> "2024-08-13";
            case "uri", "url" -> "http://127.0.0.1:9/callback";
            case "email" -> "fuzz@example.com";
            default -> "Fuzz" + random.nextInt(1000);
        };
        int min = schema.path("minLength").asInt(0);
        StringBuilder b = new StringBuilder(value);
        while (b.length() < min) {
            b.append('x');
        }
        return b.toString();
    }
}
