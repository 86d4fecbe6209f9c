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
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo("/pluto");
        List<String> paths = new ArrayList<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/code/create", "/purchase/network/code", "/purchase/network/{network}/code",
                "/purchase/network", "/purchase/network/{network}", "/purchase/network/balance",
                "/purchase/network/{network}/balance", "/purchase/network/cards", "/purchase/strike", "/stk/code",
                "/stk/cards/list", "/stk/cards/link", "/stk/cards/delink", "/stk/cards/binInfo", "/stk/purchase",
                "/stk/balance");
        for (String p : List.of("/purchase/network/code", "/purchase/network/{network}/code")) {
            List<String> statuses = new ArrayList<>();
            doc.path("paths").path(p).path("post").path("responses").fieldNames().forEachRemaining(statuses::add);
            assertThat(statuses).as(p).contains("200", "401", "431", "433", "434", "465", "468");
        }
        List<String> states = new ArrayList<>();
        doc.at("/components/schemas/TxState/enum").forEach(n -> states.add(n.asText()));
        assertThat(states).containsExactly(java.util.Arrays.stream(TxState.values()).map(Enum::name)
                .toArray(String[]::new));
        resolve(doc, doc);
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
