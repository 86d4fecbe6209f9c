package io.kulipa.web.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kulipa.testing.TestDatabase;
import io.kulipa.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's registration across restarts on one database: a restart (on another port) points
 * the demo's own registration at itself rather than adding one or failing, and an application an
 * operator put on the demo's code is left alone.
 */
class DemoUssdRestartTest {

    @Test
    void aRestartRepointsTheDemoAndLeavesAnotherApplicationOnItsCodeAlone() {
        String db = TestDatabase.newDatabase();
        String firstUrl;
        try (TestGateway first = TestGateway.start(db, Map.of())) {
            firstUrl = demoApplications(first).getFirst().get("callbackUrl").toString();
            assertThat(firstUrl).isEqualTo(first.baseUrl() + DemoUssd.PATH);
        }
        try (TestGateway second = TestGateway.start(db, Map.of())) {
            List<Map<String, Object>> demo = demoApplications(second);
            assertThat(demo).hasSize(1);
            assertThat(demo.getFirst().get("callbackUrl")).isEqualTo(second.baseUrl() + DemoUssd.PATH);
            assertThat(second.anonymous().body(Map.of("msisdn", "27831234567", "serviceCode", DemoUssd.SERVICE_CODE))
                    .post("/sandbox/ussd/sessions").then().statusCode(201).extract().<String>path("screen"))
                    .contains("1. Pay a code");
            // An operator gives the code to an application of their own.
            second.as(TestGateway.ADMIN_TOKEN).delete("/ops/ussd/applications/" + demo.getFirst().get("applicationId"))
                    .then().statusCode(204);
            second.as(TestGateway.ADMIN_TOKEN).body(Map.of("serviceCode", DemoUssd.SERVICE_CODE,
                    "callbackUrl", "http://127.0.0.1:9/ussd", "name", "Their own")).post("/ops/ussd/applications")
                    .then().statusCode(201);
        }
        try (TestGateway third = TestGateway.start(db, Map.of())) {
            assertThat(demoApplications(third)).singleElement().satisfies(a -> {
                assertThat(a.get("name")).isEqualTo("Their own");
                assertThat(a.get("callbackUrl")).isEqualTo("http://127.0.0.1:9/ussd");
            });
        }
    }

    static List<Map<String, Object>> demoApplications(TestGateway gateway) {
        List<Map<String, Object>> apps = gateway.as(TestGateway.ADMIN_TOKEN).get("/ops/ussd/applications")
                .then().statusCode(200).extract().path("applications");
        return apps.stream().filter(a -> DemoUssd.SERVICE_CODE.equals(a.get("serviceCode"))).toList();
    }
}
