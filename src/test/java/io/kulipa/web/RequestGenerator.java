package io.kulipa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Builds a request to an operation from its document: path, query and header parameters and a
 * body from the request schema, all plausible, with the demo credentials; then hands it to
 * {@link Mutations} to spoil one thing. Everything random comes from the one seeded
 * {@link Random}, so that a seed repeats a run.
 */
final class RequestGenerator {

    /** One path value in this many is the document's, not the one the gateway knows. */
    static final int KNOWN_VALUE_ODDS = 4;

    private final Random random;
    private final FuzzCredentials credentials;
    private final Mutations mutations;

    RequestGenerator(Random random, FuzzCredentials credentials) {
        this.random = random;
        this.credentials = credentials;
        this.mutations = new Mutations(random);
    }

    FuzzRequest next(ApiOperation op) {
        FuzzRequest request = plausible(op);
        mutations.apply(request);
        credentials.sign(request, request.bodyBytes());
        return request;
    }

    private FuzzRequest plausible(ApiOperation op) {
        SchemaValues values = new SchemaValues(op.root(), random);
        FuzzRequest request = new FuzzRequest(op);
        for (JsonNode p : op.parameters("path")) {
            String known = credentials.pathValue(p.path("name").asText());
            request.pathValues.put(p.path("name").asText(), known != null && random.nextInt(KNOWN_VALUE_ODDS) != 0
                    ? known : encode(text(values.value(p.path("schema")))));
        }
        for (JsonNode p : op.parameters("query")) {
            if (p.path("required").asBoolean() || random.nextBoolean()) {
                request.query.put(p.path("name").asText(), encode(text(values.value(p.path("schema")))));
            }
        }
        for (JsonNode p : op.parameters("header")) {
            String known = FuzzCredentials.header(p.path("name").asText(), random);
            if (p.path("required").asBoolean() || (known != null && random.nextBoolean())) {
                request.headers.put(p.path("name").asText(), known != null ? known : text(values.value(p.path("schema"))));
            }
        }
        credentials.apply(request);
        if (op.hasBody()) {
            JsonNode body = op.bodySchema() == null ? JsonNodeFactory.instance.objectNode() : values.value(op.bodySchema());
            request.body = body.deepCopy();
            if (op.formBody() && !request.body.isObject()) {
                request.body = JsonNodeFactory.instance.objectNode();
            }
            if (request.contentType.contains("*")) {
                request.contentType = "application/json";
            }
        }
        return request;
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** A path or query value as a client library would encode it. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An object node of the body, for mutations that add a field; null when the body has none. */
    static ObjectNode someObject(JsonNode body, Random random) {
        java.util.List<JsonNode> objects = new java.util.ArrayList<>();
        collectObjects(body, objects);
        return objects.isEmpty() ? null : (ObjectNode) objects.get(random.nextInt(objects.size()));
    }

    private static void collectObjects(JsonNode node, java.util.List<JsonNode> into) {
        if (node.isObject()) {
            into.add(node);
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collectObjects(child, into));
        }
    }
}
