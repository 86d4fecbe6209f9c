package io.kulipa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operations of every OpenAPI document a running gateway lists on {@code /docs}: the list
 * is read from the docs page itself, so that a new dialect's document is covered as soon as the
 * gateway serves it.
 */
final class ApiDocuments {

    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Pattern DOCUMENT_URL = Pattern.compile("\"url\"\\s*:\\s*\"/openapi/([^\"]+)\"");

    private ApiDocuments() {
    }

    /** The file names under {@code /openapi/} that the docs page lists. */
    static List<String> listed(String docsPage) {
        List<String> names = new ArrayList<>();
        Matcher m = DOCUMENT_URL.matcher(docsPage);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every operation of one document, in the document's order. */
    static List<ApiOperation> operations(String name, String yaml) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + name, e);
        }
        List<ApiOperation> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> item : root.path("paths").properties()) {
            List<JsonNode> common = resolvedAll(root, item.getValue().path("parameters"));
            for (Map.Entry<String, JsonNode> op : item.getValue().properties()) {
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                out.add(operation(name, root, item.getKey(), op.getKey(), op.getValue(), common));
            }
        }
        return out;
    }

    private static ApiOperation operation(String name, JsonNode root, String path, String method, JsonNode op,
                                          List<JsonNode> common) {
        List<JsonNode> parameters = new ArrayList<>(common);
        parameters.addAll(resolvedAll(root, op.path("parameters")));
        JsonNode body = ApiOperation.resolve(root, op.path("requestBody"));
        String mediaType = null;
        JsonNode schema = null;
        if (body.path("content").isObject() && !body.path("content").isEmpty()) {
            Map.Entry<String, JsonNode> first = body.path("content").properties().iterator().next();
            mediaType = first.getKey();
            schema = ApiOperation.resolve(root, first.getValue().path("schema"));
        }
        JsonNode security = op.has("security") ? op.path("security") : root.path("security");
        List<String> schemes = new ArrayList<>();
        security.path(0).fieldNames().forEachRemaining(schemes::add);
        return new ApiOperation(name, root, method.toUpperCase(java.util.Locale.ROOT), path, List.copyOf(parameters),
                mediaType, schema, List.copyOf(schemes));
    }

    private static List<JsonNode> resolvedAll(JsonNode root, JsonNode parameters) {
        List<JsonNode> out = new ArrayList<>();
        parameters.forEach(p -> out.add(ApiOperation.resolve(root, p)));
        return out;
    }
}
