package io.kulipa.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One operation of a served OpenAPI document, with its references resolved: what the fuzz test
 * needs to build a request to it.
 *
 * @param document the document's file name under {@code /openapi/}
 * @param root the whole document, for resolving the schemas' own references
 * @param method the HTTP method in upper case
 * @param path the path template, such as {@code /deposits/{depositId}}
 * @param parameters the path-item's and the operation's parameters, resolved
 * @param mediaType the first media type of the request body, or null when the operation takes none
 * @param bodySchema the schema of that media type, resolved, or null
 * @param security the security scheme names of the operation's first requirement (empty when open)
 */
record ApiOperation(String document, JsonNode root, String method, String path, List<JsonNode> parameters,
                    String mediaType, JsonNode bodySchema, List<String> security) {

    /** Longer chains of {@code $ref} than this are taken as a document that refers to itself. */
    static final int MAX_REFERENCE_HOPS = 16;

    List<JsonNode> parameters(String in) {
        return parameters.stream().filter(p -> p.path("in").asText().equals(in)).toList();
    }

    boolean hasBody() {
        return mediaType != null;
    }

    boolean jsonBody() {
        return mediaType != null && mediaType.contains("json");
    }

    boolean formBody() {
        return "application/x-www-form-urlencoded".equals(mediaType);
    }

    /** The definition of a security scheme of this operation's document. */
    Optional<JsonNode> scheme(String name) {
        JsonNode s = root.at("/components/securitySchemes").path(name);
        return s.isMissingNode() ? Optional.empty() : Optional.of(s);
    }

    /** The document's node behind a local {@code $ref}, or the node itself when it is none. */
    JsonNode resolve(JsonNode node) {
        return resolve(root, node);
    }

    static JsonNode resolve(JsonNode root, JsonNode node) {
        for (int hops = 0; hops < MAX_REFERENCE_HOPS && node.has("$ref"); hops++) {
            node = root.at(node.path("$ref").asText().substring(1));
        }
        return node;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
