package io.kulipa.dialects.scantopay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WIG OpenAPI document: every endpoint of the spec and of the /stk group, references that resolve. */
class ScantopayOpenApiTest {

    static final String RESOURCE = "/web/openapi/scantopay-wig.yaml";

    @Test
    void theDocumentDescribesTheWigAndStkEndpoints() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream(RESOURCE)) {
            assertThat(in).isNotNull();
            doc = new YAMLMapper().readTree(in);
        }
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo("http://localhost:8080");
        List<String> paths = new ArrayList<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).containsExactlyInAnyOrder("/pluto/code/create", "/pluto/code/queryRef",
                "/pluto/code/transaction/state/{transactionId}", "/pluto/purchase/network/code",
                "/pluto/purchase/network/{network}/code", "/pluto/purchase/network", "/pluto/purchase/network/{network}",
                "/pluto/purchase/network/balance", "/pluto/purchase/network/{network}/balance",
                "/pluto/purchase/network/cards", "/pluto/purchase/strike", "/pluto/stk/code", "/pluto/stk/cards/list",
                "/pluto/stk/cards/link", "/pluto/stk/cards/delink", "/pluto/stk/cards/binInfo", "/pluto/stk/purchase",
                "/pluto/stk/balance", "/ops/scantopay/merchants/{merchantId}/profile",
                "/ops/scantopay/merchants/{merchantId}/notification",
                "/ops/scantopay/merchants/{merchantId}/notification/renewKey", "/ops/scantopay/reversals",
                "/ops/scantopay/reversals/{transactionId}/retry",
                "/sandbox/handsets/{msisdn}/card-prompts", "/sandbox/handsets/{msisdn}/card-prompts/{reference}/pin",
                "/sandbox/handsets/{msisdn}/card-prompts/{reference}/reject", "/sandbox/handsets/{msisdn}/cards");
        for (String p : List.of("/pluto/purchase/network/code", "/pluto/purchase/network/{network}/code")) {
            List<String> statuses = new ArrayList<>();
            doc.path("paths").path(p).path("post").path("responses").fieldNames().forEachRemaining(statuses::add);
            assertThat(statuses).as(p).contains("200", "401", "431", "433", "434", "465", "468", "469");
        }
        List<String> states = new ArrayList<>();
        doc.at("/components/schemas/TxState/enum").forEach(n -> states.add(n.asText()));
        assertThat(states).containsExactly(java.util.Arrays.stream(TxState.values()).map(Enum::name)
                .toArray(String[]::new));
        resolve(doc, doc);
    }

    /**
     * The document and the code name the same operations: every route the WIG, ops and sandbox
     * route classes register (read from their source) is documented with its method, and nothing
     * else is.
     */
    @Test
    void theDocumentedOperationsAreExactlyTheRegisteredRoutes() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream(RESOURCE)) {
            doc = new YAMLMapper().readTree(in);
        }
        java.util.Set<String> documented = new java.util.TreeSet<>();
        doc.path("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (java.util.Set.of("get", "post", "put", "delete", "patch").contains(m)) {
                documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
            }
        }));
        java.util.Set<String> registered = new java.util.TreeSet<>();
        java.nio.file.Path dir = java.nio.file.Path.of("src/main/java/io/kulipa/dialects/scantopay");
        java.util.regex.Pattern route = java.util.regex.Pattern.compile(
                "routes\\.(get|post|put|delete|patch)\\((BASE \\+ )?\"([^\"]+)\"");
        for (String file : List.of("ScantopayRoutes.java", "ScantopayOpsRoutes.java", "ScantopaySandboxRoutes.java")) {
            String source = java.nio.file.Files.readString(dir.resolve(file));
            java.util.regex.Matcher base = java.util.regex.Pattern.compile("static final String BASE = \"([^\"]+)\"")
                    .matcher(source);
            String prefix = base.find() ? base.group(1) : "";
            java.util.regex.Matcher m = route.matcher(source);
            while (m.find()) {
                registered.add(m.group(1).toUpperCase(java.util.Locale.ROOT) + " "
                        + (m.group(2) == null ? "" : prefix) + m.group(3));
            }
        }
        assertThat(registered).hasSize(28);
        assertThat(documented).containsExactlyElementsOf(registered);
    }

    private static void resolve(JsonNode doc, JsonNode node) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    assertThat(doc.at(e.getValue().asText().substring(1)).isMissingNode()).as(e.getValue().asText())
                            .isFalse();
                } else {
                    resolve(doc, e.getValue());
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> resolve(doc, n));
        }
    }
}
