package io.kulipa.web.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ops dashboard's guards over plain HTTP: pages need a login, a login needs the admin token
 * sent in a form body (never a URL), and every change needs the session's CSRF token and no
 * foreign Origin — so another site can neither read nor drive the dashboard.
 */
class OpsDashboardTest {

    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    static String login() {
        Response r = RestAssured.given().baseUri(gateway.baseUrl()).redirects().follow(false)
                .formParam("token", TestGateway.ADMIN_TOKEN).post("/ops/login");
        r.then().statusCode(303).header("Location", "/ops/payments");
        assertThat(r.getHeader("Set-Cookie")).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .contains("Path=/ops");
        return r.getCookie("kulipa_ops");
    }

    static String csrf(String cookie, String page) {
        String html = RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).get(page).then()
                .statusCode(200).extract().asString();
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void everyPageNeedsALoginAndTheLoginNeedsTheAdminToken() {
        for (String page : new String[] {"/ops", "/ops/payments", "/ops/availability", "/ops/wallets", "/ops/merchants",
            "/ops/payments/" + java.util.UUID.randomUUID()}) {
            RestAssured.given().baseUri(gateway.baseUrl()).redirects().follow(false).get(page).then().statusCode(303)
                    .header("Location", "/ops/login");
            RestAssured.given().baseUri(gateway.baseUrl()).redirects().follow(false).cookie("kulipa_ops", "v1.9999999999.x.y")
                    .get(page).then().statusCode(303);
        }
        RestAssured.given().baseUri(gateway.baseUrl()).formParam("token", "wrong").post("/ops/login").then()
                .statusCode(401).body(containsString("not the admin token"));
        // The token in a query string is not a login.
        RestAssured.given().baseUri(gateway.baseUrl()).redirects().follow(false)
                .get("/ops/payments?token=" + TestGateway.ADMIN_TOKEN).then().statusCode(303);
        String cookie = login();
        assertThat(cookie).doesNotContain(TestGateway.ADMIN_TOKEN);
        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).get("/ops/payments").then()
                .statusCode(200).header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("Demo Merchant"));
        // A tampered session is no session.
        String tampered = cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("AA") ? "BB" : "AA");
        RestAssured.given().baseUri(gateway.baseUrl()).redirects().follow(false).cookie("kulipa_ops", tampered)
                .get("/ops/payments").then().statusCode(303);
    }

    @Test
    void aChangeWithoutTheCsrfTokenOrFromAnotherSiteIsRefusedAndChangesNothing() {
        String cookie = login();
        String csrf = csrf(cookie, "/ops/availability");
        Map<String, String> form = Map.of("correspondent", "ZAMTEL_ZMB", "operation", "PAYOUT", "status", "CLOSED");
        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).formParams(form)
                .post("/ops/availability").then().statusCode(403);
        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).formParams(form)
                .formParam("csrf", "forged").post("/ops/availability").then().statusCode(403);
        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).formParams(form)
                .formParam("csrf", csrf).header("Origin", "https://evil.example").post("/ops/availability").then()
                .statusCode(403);
        // Another session's CSRF token is not this one's.
        String otherCsrf = csrf(login(), "/ops/availability");
        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).formParams(form)
                .formParam("csrf", otherCsrf).post("/ops/availability").then().statusCode(403);
        assertThat(payoutStatus()).isEqualTo("OPERATIONAL");

        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).formParams(form)
                .formParam("csrf", csrf).post("/ops/availability").then().statusCode(200)
                .body(containsString("ZAMTEL_ZMB PAYOUT is now CLOSED"));
        assertThat(payoutStatus()).isEqualTo("CLOSED");
        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie)
                .formParams(Map.of("correspondent", "ZAMTEL_ZMB", "operation", "PAYOUT", "status", "AUTO"))
                .formParam("csrf", csrf).post("/ops/availability").then().statusCode(200);
        assertThat(payoutStatus()).isEqualTo("OPERATIONAL");
        // The JSON operations API still takes only the bearer token, never the dashboard's cookie.
        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).contentType("application/json")
                .body("{\"status\": \"CLOSED\"}").put("/ops/availability/ZAMTEL_ZMB/PAYOUT").then().statusCode(401);
    }

    @Test
    void filtersThatCannotBeReadAreIgnoredAndSaidSo() {
        String cookie = login();
        Map<String, Object> body = TestGateway.deposit();
        gateway.postDeposit(body).then().body("status", equalTo("ACCEPTED"));
        String html = RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie)
                .queryParam("merchant", "nope").queryParam("state", "SOLD").queryParam("from", "yesterday")
                .queryParam("id", "<script>alert(1)</script>").get("/ops/payments").then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("merchant: not a merchant id", "state: unknown", "from: not a date")
                .doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
        RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie)
                .queryParam("id", body.get("depositId")).get("/ops/payments").then().statusCode(200)
                .body(containsString((String) body.get("depositId")));
    }

    @Test
    void paymentsOfEveryDialectAreListedAndTheDialectFilterKeepsOne() {
        String cookie = login();
        Map<String, Object> deposit = TestGateway.deposit();
        gateway.postDeposit(deposit).then().body("status", equalTo("ACCEPTED"));
        String pawapay = (String) deposit.get("depositId");
        io.kulipa.testing.MomoClient momo = io.kulipa.testing.MomoClient.provision(gateway.get(), "127.0.0.1");
        String reference = java.util.UUID.randomUUID().toString();
        momo.product("collection", "mtnzambia").header("X-Reference-Id", reference)
                .body(Map.of("amount", "7", "currency", "ZMW", "externalId", "order-1",
                        "payer", io.kulipa.testing.MomoClient.msisdn("260763000001")))
                .post("/collection/v1_0/requesttopay").then().statusCode(202);

        String all = page(cookie, Map.of());
        assertThat(all).contains(pawapay, reference);
        assertThat(page(cookie, Map.of("dialect", "momo"))).contains(reference).doesNotContain(pawapay);
        assertThat(page(cookie, Map.of("dialect", "pawapay"))).contains(pawapay).doesNotContain(reference);
        assertThat(page(cookie, Map.of("kind", "PAYOUT"))).doesNotContain(pawapay, reference);
        assertThat(page(cookie, Map.of("from", "2000-01-01T00:00", "to", "2000-01-02T00:00")))
                .doesNotContain(pawapay, reference).contains("No payment matches");
        // The merchant filter takes the merchant's id.
        assertThat(page(cookie, Map.of("merchant", gateway.kulipa().demoMerchantId().toString()))).contains(pawapay);
        assertThat(page(cookie, Map.of("merchant", java.util.UUID.randomUUID().toString()))).doesNotContain(pawapay);
    }

    static String page(String cookie, Map<String, String> query) {
        return RestAssured.given().baseUri(gateway.baseUrl()).cookie("kulipa_ops", cookie).queryParams(query)
                .get("/ops/payments").then().statusCode(200).extract().asString();
    }

    static String payoutStatus() {
        return gateway.anonymous().get("/availability").then().statusCode(200).extract().jsonPath()
                .getString("correspondents.flatten().find { it.correspondent == 'ZAMTEL_ZMB' }"
                        + ".operationTypes.find { it.operationType == 'PAYOUT' }.status");
    }
}
