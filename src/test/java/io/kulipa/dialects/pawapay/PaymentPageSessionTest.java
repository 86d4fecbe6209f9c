package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.kulipa.testing.GatewayExtension;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * pawaPay's Payment Page over HTTP: {@code POST /v1/widget/sessions} as the spec has it (fields,
 * rules, errors naming the field, nothing written on a refusal, the 5-minute link and the
 * 15-minute session), and the hosted page's own calls — bound to the browser that opened it —
 * starting an ordinary deposit that the merchant API then shows.
 */
class PaymentPageSessionTest {

    static final String MTN = "260763000111";

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    static Map<String, Object> session(String amount, String msisdn, String country) {
        Map<String, Object> body = new HashMap<>();
        body.put("depositId", UUID.randomUUID().toString());
        body.put("returnUrl", "https://shop.example/done?order=7");
        body.put("statementDescription", "Festival ticket");
        body.put("reason", "Ticket to festival");
        if (amount != null) {
            body.put("amount", amount);
        }
        if (msisdn != null) {
            body.put("msisdn", msisdn);
        }
        if (country != null) {
            body.put("country", country);
        }
        return body;
    }

    static String redirect(Map<String, Object> body) {
        return gateway.merchant().body(body).post("/v1/widget/sessions").then().statusCode(200)
                .body("redirectUrl", startsWith(gateway.baseUrl() + "/pay/")).extract().path("redirectUrl");
    }

    static long sessionRows() {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pawapay_payment_page_session")
                .mapTo(Long.class).one());
    }

    static void rejected(Map<String, Object> body, String code, String messageStart) {
        long before = sessionRows();
        gateway.merchant().body(body).post("/v1/widget/sessions").then().statusCode(400)
                .body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo(code))
                .body("rejectionReason.rejectionMessage", startsWith(messageStart));
        assertThat(sessionRows()).as("nothing written for " + body).isEqualTo(before);
    }

    /** Opens the page as a new browser; answers the cookie it was given. */
    static String open(String url) {
        Response page = RestAssured.given().get(url);
        page.then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Referrer-Policy", equalTo("no-referrer"));
        String setCookie = page.getHeader("Set-Cookie");
        assertThat(setCookie).contains("kulipa_pay=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=" + path(url));
        return page.getCookie("kulipa_pay");
    }

    static String path(String url) {
        return url.substring(gateway.baseUrl().length());
    }

    static Response call(String url, String cookie, String what, Map<String, Object> body) {
        return RestAssured.given().cookie("kulipa_pay", cookie).contentType(ContentType.JSON).body(body)
                .post(url + "/" + what);
    }

    @Test
    void aSessionGivesARedirectUrlWhosePageShowsWhatTheMerchantFixedAndBindsTheFirstBrowser() {
        String url = redirect(session("15", null, "ZMB"));
        String token = url.substring(url.lastIndexOf('/') + 1);
        // The token is kept as a digest only.
        String stored = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT row_to_json(s)::text FROM pawapay_payment_page_session s").mapTo(String.class).list()).toString();
        assertThat(stored).doesNotContain(token);

        String cookie = open(url);
        String html = RestAssured.given().cookie("kulipa_pay", cookie).get(url).then().statusCode(200)
                .extract().asString();
        assertThat(html).contains("Ticket to festival", "15 ZMW", "MTN", "Airtel", "Zamtel", "/assets/pay.js")
                .doesNotContain("<script>");
        // Another browser (no cookie, or a wrong one) is refused, for the page and for its calls.
        RestAssured.given().get(url).then().statusCode(403);
        RestAssured.given().cookie("kulipa_pay", "forged").get(url).then().statusCode(403);
        call(url, "forged", "predict", Map.of("msisdn", MTN)).then().statusCode(403);
        RestAssured.given().get(gateway.baseUrl() + "/pay/" + "A".repeat(43)).then().statusCode(404);
        RestAssured.given().get(gateway.baseUrl() + "/pay/%3Cscript%3E").then().statusCode(404);
    }

    @Test
    void everyFieldIsCheckedAndARefusalNamesItAndWritesNothing() {
        Map<String, Object> body = session("15", null, null);
        body.remove("depositId");
        rejected(body, "PARAMETER_INVALID", "depositId:");
        body = session("15", null, null);
        body.put("depositId", "not-a-uuid");
        rejected(body, "PARAMETER_INVALID", "depositId:");
        body = session("15", null, null);
        body.remove("returnUrl");
        rejected(body, "PARAMETER_INVALID", "returnUrl:");
        body = session("15", null, null);
        body.put("returnUrl", "javascript:alert(1)");
        rejected(body, "PARAMETER_INVALID", "returnUrl:");
        body = session("15", null, null);
        body.put("statementDescription", "no!");
        rejected(body, "PARAMETER_INVALID", "statementDescription:");
        for (String amount : List.of("5.555", "00.5", ".5", "-5", "5.")) {
            rejected(session(amount, null, null), "INVALID_AMOUNT", "amount:");
        }
        body = session(null, null, null);
        body.put("amount", 15);
        rejected(body, "INVALID_AMOUNT", "amount:");
        rejected(session("0", null, null), "INVALID_AMOUNT", "amount:");
        rejected(session("99999999", null, "ZMB"), "AMOUNT_TOO_LARGE", "amount:");
        rejected(session("15", "+260763000111", null), "INVALID_PAYER_FORMAT", "msisdn:");
        rejected(session("15", "26076300011", null), "INVALID_PAYER_FORMAT", "msisdn:");
        rejected(session("15", "233241234567", "ZMB"), "INVALID_PAYER_FORMAT", "msisdn:");
        rejected(session("15", null, "zmb"), "INVALID_COUNTRY", "country:");
        rejected(session("15", null, "USA"), "INVALID_COUNTRY", "country:");
        body = session("15", null, null);
        body.put("reason", "x".repeat(51));
        rejected(body, "PARAMETER_INVALID", "reason:");
        body = session("15", null, null);
        body.put("language", "DE");
        rejected(body, "PARAMETER_INVALID", "language:");
        body = session("15", null, null);
        body.put("metadata", "orderId");
        rejected(body, "PARAMETER_INVALID", "metadata:");

        gateway.anonymous().body(session("15", null, null)).post("/v1/widget/sessions").then().statusCode(401)
                .body("rejectionReason.rejectionCode", equalTo("AUTHENTICATION_ERROR"));
        gateway.merchant().body("[1,2]").post("/v1/widget/sessions").then().statusCode(400)
                .body("rejectionReason.rejectionCode", equalTo("INVALID_INPUT"));
        // Every optional field may be left out, or given as the spec's example has it.
        Map<String, Object> minimal = new HashMap<>(Map.of("depositId", UUID.randomUUID().toString(),
                "returnUrl", "https://shop.example/done"));
        redirect(minimal);
        Map<String, Object> full = session("15", "260763456789", "ZMB");
        full.put("language", "EN");
        full.put("metadata", List.of(Map.of("fieldName", "orderId", "fieldValue", "ORD-123456789"),
                Map.of("fieldName", "customerId", "fieldValue", "customer@email.com", "isPII", true)));
        redirect(full);
    }

    @Test
    void aRetryBeforeTheFirstOpenGetsANewLinkAndAnyOtherUseOfTheDepositIdIsRefused() {
        Map<String, Object> body = session("15", null, null);
        String first = redirect(body);
        String second = redirect(body);
        assertThat(second).isNotEqualTo(first);
        RestAssured.given().get(first).then().statusCode(404);
        open(second);
        // Opened now: the same request again is refused, and so is a different one with the id.
        rejected(body, "PARAMETER_INVALID", "depositId:");
        Map<String, Object> other = new HashMap<>(body);
        other.put("amount", "16");
        rejected(other, "PARAMETER_INVALID", "depositId:");
        // An id a deposit already has cannot open a session.
        Map<String, Object> deposit = io.kulipa.testing.TestGateway.deposit();
        gateway.postDeposit(deposit).then().body("status", equalTo("ACCEPTED"));
        Map<String, Object> reuse = session("15", null, null);
        reuse.put("depositId", deposit.get("depositId"));
        rejected(reuse, "PARAMETER_INVALID", "depositId:");
    }

    @Test
    void theLinkMustBeOpenedWithinFiveMinutesAndTheDepositStartedWithinFifteen() {
        Map<String, Object> body = session("15", null, "ZMB");
        String late = redirect(body);
        moveDeadlines(body.get("depositId"), "link_expires_at");
        RestAssured.given().get(late).then().statusCode(410).body(containsString("expired"));

        Map<String, Object> other = session("15", null, "ZMB");
        String url = redirect(other);
        String cookie = open(url);
        moveDeadlines(other.get("depositId"), "expires_at");
        RestAssured.given().cookie("kulipa_pay", cookie).get(url).then().statusCode(410);
        call(url, cookie, "deposit", Map.of("correspondent", "MTN_MOMO_ZMB", "msisdn", MTN)).then().statusCode(410)
                .body("returnUrl", equalTo("https://shop.example/done?order=7&depositId=" + other.get("depositId")));
        gateway.merchant().get("/deposits/" + other.get("depositId")).then().body("$", hasSize(0));
    }

    static void moveDeadlines(Object depositId, String column) {
        gateway.jdbi().useHandle(h -> h.createUpdate("UPDATE pawapay_payment_page_session SET " + column
                + " = now() - interval '1 second' WHERE deposit_id = :d").bind("d", depositId).execute());
    }

    @Test
    void thePageStartsOneOrdinaryDepositThatTheMerchantApiShowsAndItsStatusEndsCompleted() {
        Map<String, Object> body = session(null, null, null);
        String url = redirect(body);
        String cookie = open(url);
        String id = (String) body.get("depositId");

        call(url, cookie, "predict", Map.of("msisdn", "+260 76 300 0111")).then().statusCode(200)
                .body("country", equalTo("ZMB")).body("correspondent", equalTo("MTN_MOMO_ZMB"))
                .body("msisdn", equalTo(MTN));
        call(url, cookie, "predict", Map.of("msisdn", "12")).then().statusCode(400).body("field", equalTo("msisdn"));
        // Only JSON: a form another site could post is refused.
        RestAssured.given().cookie("kulipa_pay", cookie).contentType(ContentType.URLENC)
                .formParam("correspondent", "MTN_MOMO_ZMB").post(url + "/deposit").then().statusCode(415);
        // The amount is the customer's when the session left it open, within the operator's limits.
        call(url, cookie, "deposit", Map.of("correspondent", "MTN_MOMO_ZMB", "msisdn", MTN, "amount", "99999999"))
                .then().statusCode(400).body("field", equalTo("amount"));
        call(url, cookie, "deposit", Map.of("correspondent", "MTN_MOMO_ZMB", "msisdn", MTN, "amount", "1.555"))
                .then().statusCode(400).body("field", equalTo("amount"));
        call(url, cookie, "deposit", Map.of("correspondent", "NOT_AN_OPERATOR", "msisdn", MTN, "amount", "20"))
                .then().statusCode(400).body("field", equalTo("correspondent"));
        gateway.merchant().get("/deposits/" + id).then().body("$", hasSize(0));

        call(url, cookie, "deposit", Map.of("correspondent", "MTN_MOMO_ZMB", "msisdn", MTN, "amount", "20"))
                .then().statusCode(200).body("depositId", equalTo(id));
        // A second press (or a second tab) is the same deposit.
        call(url, cookie, "deposit", Map.of("correspondent", "MTN_MOMO_ZMB", "msisdn", MTN, "amount", "21"))
                .then().statusCode(200).body("depositId", equalTo(id));
        gateway.merchant().get("/deposits/" + id).then().statusCode(200).body("$", hasSize(1))
                .body("[0].requestedAmount", equalTo("20")).body("[0].correspondent", equalTo("MTN_MOMO_ZMB"))
                .body("[0].payer.address.value", equalTo(MTN))
                .body("[0].statementDescription", equalTo("Festival ticket"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(gateway.depositStatus(id)));
        RestAssured.given().cookie("kulipa_pay", cookie).get(url + "/status").then().statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("returnUrl", equalTo("https://shop.example/done?order=7&depositId=" + id));
        long payments = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM payment WHERE client_ref = :id").bind("id", id).mapTo(Long.class).one());
        assertThat(payments).isEqualTo(1);
        // Once started, the page shows the deposit even after the session's 15 minutes.
        moveDeadlines(id, "expires_at");
        RestAssured.given().cookie("kulipa_pay", cookie).get(url).then().statusCode(200)
                .body(containsString("id=\"step-done\" aria-live=\"polite\">"));
    }

    @Test
    void aFixedNumberIsReadOnlyOffersOnlyItsOperatorAndIsTheNumberCharged() {
        Map<String, Object> body = session("15", "260973000444", null);
        String url = redirect(body);
        String cookie = open(url);
        String html = RestAssured.given().cookie("kulipa_pay", cookie).get(url).then().extract().asString();
        assertThat(html).contains("readonly value=\"260973000444\"", "value=\"AIRTEL_OAPI_ZMB\"")
                .doesNotContain("value=\"MTN_MOMO_ZMB\"", "value=\"ZAMTEL_ZMB\"", "id=\"amount\"");
        // Whatever the browser sends, the session's number and amount are the deposit's.
        call(url, cookie, "deposit", Map.of("correspondent", "AIRTEL_OAPI_ZMB", "msisdn", MTN, "amount", "999"))
                .then().statusCode(200);
        gateway.merchant().get("/deposits/" + body.get("depositId")).then().statusCode(200)
                .body("[0].payer.address.value", equalTo("260973000444")).body("[0].requestedAmount", equalTo("15"))
                .body("[0].correspondent", equalTo("AIRTEL_OAPI_ZMB"));
    }

    @Test
    void withoutJavaScriptTheFormStartsTheSameDepositAndThePageReloadsUntilItIsFinal() {
        Map<String, Object> body = session("15", null, "ZMB");
        String url = redirect(body);
        String cookie = open(url);
        RestAssured.given().cookie("kulipa_pay", cookie).redirects().follow(false)
                .formParam("correspondent", "MTN_MOMO_ZMB").formParam("msisdn", "12").post(url).then().statusCode(400)
                .body(containsString("country code"));
        // Without the cookie (a form from another site) nothing is open.
        RestAssured.given().redirects().follow(false).formParam("correspondent", "MTN_MOMO_ZMB")
                .formParam("msisdn", MTN).post(url).then().statusCode(403);
        gateway.merchant().get("/deposits/" + body.get("depositId")).then().body("$", hasSize(0));
        RestAssured.given().cookie("kulipa_pay", cookie).redirects().follow(false)
                .formParam("correspondent", "MTN_MOMO_ZMB").formParam("msisdn", MTN).post(url).then().statusCode(303)
                .header("Location", path(url));
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(gateway.depositStatus(
                (String) body.get("depositId"))));
        RestAssured.given().cookie("kulipa_pay", cookie).get(url).then().statusCode(200)
                .body(containsString("Payment complete")).body(containsString("depositId=" + body.get("depositId")));
    }

    @Test
    void withoutJavaScriptACountryChooserShowsTheChosenCountrysOperatorsAndPaysWithOne() {
        Map<String, Object> body = session("15", null, null);
        String url = redirect(body);
        String cookie = open(url);
        String html = RestAssured.given().cookie("kulipa_pay", cookie).get(url).then().statusCode(200).extract().asString();
        // The country chooser is a form of its own that asks the page again, its button shown without the script only.
        assertThat(html).contains("<form id=\"country-form\" method=\"get\" action=\"" + path(url) + "\">",
                "<noscript><button type=\"submit\" class=\"button\" id=\"country-button\">");
        String first = html.replaceAll("(?s).*<option value=\"([A-Z]{3})\" selected>.*", "$1");
        assertThat(first).matches("[A-Z]{3}").isNotEqualTo("ZMB");
        assertThat(operatorLabel(html, "MTN_MOMO_ZMB")).contains(" hidden");

        String chosen = RestAssured.given().cookie("kulipa_pay", cookie).queryParam("country", "ZMB").get(url)
                .then().statusCode(200).extract().asString();
        assertThat(chosen).contains("<option value=\"ZMB\" selected>").doesNotContain("<option value=\"" + first
                + "\" selected>");
        for (String zambian : List.of("MTN_MOMO_ZMB", "AIRTEL_OAPI_ZMB", "ZAMTEL_ZMB")) {
            assertThat(operatorLabel(chosen, zambian)).as(zambian).doesNotContain(" hidden");
        }
        assertThat(chosen).containsPattern("data-country=\"" + first + "\" hidden>");
        assertThat(chosen).contains("id=\"msisdn-dial\">260</span>");
        // An unknown country shows the first one's operators, as a first visit does.
        assertThat(RestAssured.given().cookie("kulipa_pay", cookie).queryParam("country", "<x>").get(url).then()
                .statusCode(200).extract().asString()).contains("<option value=\"" + first + "\" selected>")
                .doesNotContain("&lt;x&gt;", "<x>");
        // A refused form leads back to the chosen country; a good one starts the deposit.
        RestAssured.given().cookie("kulipa_pay", cookie).redirects().follow(false)
                .formParam("correspondent", "MTN_MOMO_ZMB").formParam("msisdn", "12").post(url + "?country=ZMB")
                .then().statusCode(400).body(containsString("href=\"" + path(url) + "?country=ZMB\""));
        RestAssured.given().cookie("kulipa_pay", cookie).redirects().follow(false)
                .formParam("correspondent", "MTN_MOMO_ZMB").formParam("msisdn", MTN).post(url + "?country=ZMB")
                .then().statusCode(303).header("Location", path(url));
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(gateway.depositStatus(
                (String) body.get("depositId"))));
        gateway.merchant().get("/deposits/" + body.get("depositId")).then().statusCode(200)
                .body("[0].correspondent", equalTo("MTN_MOMO_ZMB")).body("[0].requestedAmount", equalTo("15"));
    }

    /** The operator's label element (its opening tag) on the page. */
    static String operatorLabel(String html, String correspondent) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<label class=\"operator[^\"]*\" for=\"op-"
                + correspondent + "\"[^>]*>").matcher(html);
        assertThat(m.find()).as(correspondent + " on the page").isTrue();
        return m.group();
    }

    @Test
    void anOperatorInAnOutageIsShownAsSuchAndCannotBeChosen() {
        String admin = io.kulipa.testing.TestGateway.ADMIN_TOKEN;
        gateway.as(admin).body(Map.of("status", "CLOSED")).put("/ops/availability/ZAMTEL_ZMB/DEPOSIT").then()
                .statusCode(200);
        try {
            String url = redirect(session("15", null, "ZMB"));
            String cookie = open(url);
            String html = RestAssured.given().cookie("kulipa_pay", cookie).get(url).then().extract().asString();
            assertThat(html).containsPattern("value=\"ZAMTEL_ZMB\" disabled")
                    .contains("Temporarily unavailable");
            call(url, cookie, "deposit", Map.of("correspondent", "ZAMTEL_ZMB", "msisdn", "260953000111")).then()
                    .statusCode(400).body("field", equalTo("correspondent"))
                    .body("message", containsString("temporarily unavailable"));
        } finally {
            gateway.as(admin).body("{\"status\": null}").put("/ops/availability/ZAMTEL_ZMB/DEPOSIT").then()
                    .statusCode(200);
        }
    }
}
