package io.kulipa.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.ussd.RunningUssdSession;
import io.restassured.RestAssured;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The USSD gateway's OpenAPI document: every endpoint, its security, its bounds as the code has them, served. */
class UssdApiDocumentTest {

    static final String USSD = "/web/openapi/kulipa-ussd.yaml";

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    @Test
    void theDocumentDescribesEveryUssdEndpoint() {
        JsonNode doc = OpenApiDocumentsTest.read(USSD);
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(OpenApiDocumentsTest.operations(doc.path("paths"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/ops/ussd/applications", Set.of("post", "get"),
                "/ops/ussd/applications/{applicationId}", Set.of("get", "delete"),
                "/sandbox/ussd/sessions", Set.of("post", "get"),
                "/sandbox/ussd/sessions/{sessionId}", Set.of("get", "delete"),
                "/sandbox/ussd/sessions/{sessionId}/input", Set.of("post"),
                "/sandbox/ussd/demo", Set.of("post")));
        doc.path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(op -> OpenApiDocumentsTest.METHODS.contains(op.getKey()))
                .forEach(op -> {
                    JsonNode security = op.getValue().path("security");
                    if (path.getKey().startsWith("/ops/")) {
                        assertThat(security.path(0).has("adminBearer")).as(path.getKey()).isTrue();
                        assertThat(OpenApiDocumentsTest.fieldNames(op.getValue().path("responses")))
                                .as(path.getKey()).contains("401");
                    } else {
                        assertThat(security.isArray() && security.isEmpty()).as(path.getKey()).isTrue();
                    }
                }));
        String description = doc.at("/info/description").asText();
        assertThat(description).contains(RunningUssdSession.SCREEN_MAX_CHARS + " characters",
                RunningUssdSession.STEPS_MAX + " steps", "KULIPA_USSD_SESSION_TIMEOUT", "KULIPA_USSD_CALLBACK_TIMEOUT");
        assertThat(OpenApiDocumentsTest.texts(doc.at("/components/schemas/Session/properties/state/enum")))
                .containsExactly("OPEN", "ENDED", "TIMED_OUT", "FAILED", "HUNG_UP");
        assertThat(doc.at("/paths/~1sandbox~1ussd~1demo/post/description").asText())
                .contains(io.kulipa.web.sandbox.demo.DemoUssd.SERVICE_CODE);
        OpenApiDocumentsTest.assertReferencesResolve(doc);
    }

    @Test
    void theGatewayServesItAndListsItOnTheDocsPage() {
        String served = RestAssured.given().baseUri(gateway.baseUrl()).get("/openapi/kulipa-ussd.yaml")
                .then().statusCode(200).extract().asString();
        assertThat(served).isEqualTo(OpenApiDocumentsTest.resource(USSD));
        RestAssured.given().baseUri(gateway.baseUrl()).get("/docs/index.html").then().statusCode(200)
                .body(containsString("/openapi/kulipa-ussd.yaml"));
    }
}
