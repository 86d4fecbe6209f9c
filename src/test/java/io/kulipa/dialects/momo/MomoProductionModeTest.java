package io.kulipa.dialects.momo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In production mode MoMo's sandbox provisioning API is closed (issue 13, defect 7): MTN
 * provisions production API users in its partner portal, and Kulipa's come from ops.
 */
class MomoProductionModeTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(Map.of("KULIPA_MODE", "production"));

    @Test
    void provisioningIsRefusedInMomosWords() {
        String user = UUID.randomUUID().toString();
        given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON).header("Ocp-Apim-Subscription-Key", "any")
                .header("X-Reference-Id", user).body(Map.of("providerCallbackHost", "webhook.site"))
                .post("/v1_0/apiuser").then().statusCode(403).body("code", equalTo("NOT_ALLOWED"))
                .body("message", containsString("sandbox"));
        given().baseUri(gateway.baseUrl()).header("Ocp-Apim-Subscription-Key", "any")
                .post("/v1_0/apiuser/" + user + "/apikey").then().statusCode(403).body("code", equalTo("NOT_ALLOWED"));
        long users = gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM momo_api_user")
                .mapTo(Long.class).one());
        assertThat(users).isZero();
    }
}
