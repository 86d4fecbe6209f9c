package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.kulipa.money.Amount;
import io.kulipa.providers.Catalog;
import io.kulipa.providers.Operation;
import io.kulipa.providers.OperationLimits;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * POST /deposits refuses every malformed request the way pawaPay does: HTTP 200 with status
 * REJECTED, the spec's rejection code and a message naming the field; a body that is not a
 * JSON object is HTTP 400 INVALID_INPUT; a missing or wrong token is HTTP 401. A rejected
 * request leaves nothing behind.
 */
class DepositValidationTest {

    static final Catalog CATALOG = Catalog.loadDefault();
    static final String ZMB_PAYER = "260763456789";

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    /** A valid deposit on MTN_MOMO_ZMB; each case changes one thing in it. */
    static Map<String, Object> validBody() {
        return TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", ZMB_PAYER, "15");
    }

    static Map<String, Object> payer(String type, String value) {
        Map<String, Object> payer = new HashMap<>();
        payer.put("type", type);
        payer.put("address", Map.of("value", value));
        return payer;
    }

    static OperationLimits depositLimits(String correspondent) {
        return CATALOG.correspondent(correspondent).orElseThrow().limits(Operation.DEPOSIT).orElseThrow();
    }

    /** The smallest step an amount can take on this correspondent: 1 or 0.01. */
    static BigDecimal step(OperationLimits limits) {
        return BigDecimal.ONE.movePointLeft(limits.decimals());
    }

    static String belowMin(String correspondent) {
        OperationLimits l = depositLimits(correspondent);
        return Amount.plain(l.min().subtract(step(l)));
    }

    static String aboveMax(String correspondent) {
        OperationLimits l = depositLimits(correspondent);
        return Amount.plain(l.max().add(step(l)));
    }

    static Arguments reject(String name, Consumer<Map<String, Object>> change, String code, String field) {
        return Arguments.of(name, change, code, field);
    }

    static Consumer<Map<String, Object>> set(String key, Object value) {
        return body -> body.put(key, value);
    }

    static Consumer<Map<String, Object>> remove(String key) {
        return body -> body.remove(key);
    }

    static Consumer<Map<String, Object>> on(String correspondent, String currency, String msisdn, String amount) {
        return body -> {
            body.put("correspondent", correspondent);
            body.put("currency", currency);
            body.put("payer", payer("MSISDN", msisdn));
            body.put("amount", amount);
        };
    }

    static List<Map<String, Object>> metadata(int items) {
        return IntStream.range(0, items).mapToObj(i -> Map.<String, Object>of("fieldName", "field" + i,
                "fieldValue", "value" + i)).toList();
    }

    static Stream<Arguments> badBodies() {
        List<Arguments> cases = new ArrayList<>();
        // depositId
        cases.add(reject("depositId not a UUID", set("depositId", "not-a-uuid"), "PARAMETER_INVALID", "depositId"));
        cases.add(reject("depositId empty", set("depositId", ""), "PARAMETER_INVALID", "depositId"));
        cases.add(reject("depositId missing", remove("depositId"), "PARAMETER_INVALID", "depositId"));
        cases.add(reject("depositId a number", set("depositId", 12345), "PARAMETER_INVALID", "depositId"));
        cases.add(reject("depositId without dashes", set("depositId", UUID.randomUUID().toString().replace("-", "")),
                "PARAMETER_INVALID", "depositId"));
        cases.add(reject("depositId one character short", set("depositId", UUID.randomUUID().toString().substring(1)),
                "PARAMETER_INVALID", "depositId"));
        cases.add(reject("depositId in braces", set("depositId", "{" + UUID.randomUUID() + "}"),
                "PARAMETER_INVALID", "depositId"));
        // amount: the spec's "Not valid examples", then other shapes
        for (String bad : List.of("5.", "5.555", "5555555555555555555", ".5", "-5.5", "00.5", "00.00", "00001.32")) {
            cases.add(reject("amount spec invalid example " + bad, set("amount", bad), "INVALID_AMOUNT", "amount"));
        }
        cases.add(reject("amount empty", set("amount", ""), "INVALID_AMOUNT", "amount"));
        cases.add(reject("amount missing", remove("amount"), "INVALID_AMOUNT", "amount"));
        cases.add(reject("amount a JSON number", set("amount", 15), "INVALID_AMOUNT", "amount"));
        cases.add(reject("amount with spaces", set("amount", " 15 "), "INVALID_AMOUNT", "amount"));
        cases.add(reject("amount with a comma", set("amount", "15,50"), "INVALID_AMOUNT", "amount"));
        cases.add(reject("amount in exponent form", set("amount", "1e3"), "INVALID_AMOUNT", "amount"));
        // amount: decimals the correspondent does not support
        cases.add(reject("decimals on MTN_MOMO_BEN (XOF, not supported)",
                on("MTN_MOMO_BEN", "XOF", "22951345789", "150.5"), "INVALID_AMOUNT", "amount"));
        cases.add(reject("decimals on MTN_MOMO_BEN, small amount",
                on("MTN_MOMO_BEN", "XOF", "22951345789", "15.5"), "INVALID_AMOUNT", "amount"));
        cases.add(reject("two decimals on MTN_MOMO_BEN",
                on("MTN_MOMO_BEN", "XOF", "22951345789", "150.55"), "INVALID_AMOUNT", "amount"));
        cases.add(reject("decimals on MPESA_KEN deposits (not supported)",
                on("MPESA_KEN", "KES", "254703456789", "10.5"), "INVALID_AMOUNT", "amount"));
        cases.add(reject("decimals on AIRTEL_OAPI_UGA (not supported)",
                on("AIRTEL_OAPI_UGA", "UGX", "256753456789", "1000.25"), "INVALID_AMOUNT", "amount"));
        // amount: limits of the correspondent, read from the catalog
        cases.add(reject("below MTN_MOMO_ZMB minimum (" + belowMin("MTN_MOMO_ZMB") + ")",
                set("amount", belowMin("MTN_MOMO_ZMB")), "AMOUNT_TOO_SMALL", "amount"));
        cases.add(reject("zero on MTN_MOMO_ZMB", set("amount", "0"), "AMOUNT_TOO_SMALL", "amount"));
        cases.add(reject("below MTN_MOMO_BEN minimum (" + belowMin("MTN_MOMO_BEN") + ")",
                on("MTN_MOMO_BEN", "XOF", "22951345789", belowMin("MTN_MOMO_BEN")), "AMOUNT_TOO_SMALL", "amount"));
        cases.add(reject("above MTN_MOMO_ZMB maximum (" + aboveMax("MTN_MOMO_ZMB") + ")",
                set("amount", aboveMax("MTN_MOMO_ZMB")), "AMOUNT_TOO_LARGE", "amount"));
        cases.add(reject("far above MTN_MOMO_ZMB maximum", set("amount", "999999999999999999.99"),
                "AMOUNT_TOO_LARGE", "amount"));
        cases.add(reject("above MPESA_KEN maximum (" + aboveMax("MPESA_KEN") + ")",
                on("MPESA_KEN", "KES", "254703456789", aboveMax("MPESA_KEN")), "AMOUNT_TOO_LARGE", "amount"));
        // currency
        cases.add(reject("currency of another country", set("currency", "KES"), "INVALID_CURRENCY", "currency"));
        cases.add(reject("currency in lower case", set("currency", "zmw"), "INVALID_CURRENCY", "currency"));
        cases.add(reject("currency not a code", set("currency", "KWACHA"), "INVALID_CURRENCY", "currency"));
        cases.add(reject("currency missing", remove("currency"), "INVALID_CURRENCY", "currency"));
        // country
        cases.add(reject("country of another correspondent", set("country", "KEN"), "INVALID_COUNTRY", "country"));
        cases.add(reject("country as alpha-2", set("country", "ZM"), "INVALID_COUNTRY", "country"));
        cases.add(reject("country in lower case", set("country", "zmb"), "INVALID_COUNTRY", "country"));
        // payer
        cases.add(reject("payer with '+'", set("payer", payer("MSISDN", "+" + ZMB_PAYER)),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer with a leading 0", set("payer", payer("MSISDN", "0763456789")),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer with leading 00", set("payer", payer("MSISDN", "00" + ZMB_PAYER)),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer with letters", set("payer", payer("MSISDN", "26076345678a")),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer with spaces", set("payer", payer("MSISDN", "260 763 456 789")),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer with another country code", set("payer", payer("MSISDN", "254703456789")),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer one digit short", set("payer", payer("MSISDN", ZMB_PAYER.substring(1))),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer one digit long", set("payer", payer("MSISDN", ZMB_PAYER + "1")),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer national number only", set("payer", payer("MSISDN", "763456789")),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer empty", set("payer", payer("MSISDN", "")), "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer type not MSISDN", set("payer", payer("BANK_ACCOUNT", ZMB_PAYER)),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer type in lower case", set("payer", payer("msisdn", ZMB_PAYER)),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer without address", set("payer", Map.of("type", "MSISDN")),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer address value a number", set("payer",
                Map.of("type", "MSISDN", "address", Map.of("value", Long.parseLong(ZMB_PAYER)))),
                "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer a string", set("payer", ZMB_PAYER), "INVALID_PAYER_FORMAT", "payer"));
        cases.add(reject("payer missing", remove("payer"), "INVALID_PAYER_FORMAT", "payer"));
        // correspondent
        cases.add(reject("unknown correspondent", set("correspondent", "MTN_MOMO_XYZ"),
                "PARAMETER_INVALID", "correspondent"));
        cases.add(reject("correspondent in lower case", set("correspondent", "mtn_momo_zmb"),
                "PARAMETER_INVALID", "correspondent"));
        cases.add(reject("correspondent missing", remove("correspondent"), "PARAMETER_INVALID", "correspondent"));
        // customerTimestamp
        cases.add(reject("customerTimestamp missing", remove("customerTimestamp"),
                "PARAMETER_INVALID", "customerTimestamp"));
        cases.add(reject("customerTimestamp not a date", set("customerTimestamp", "yesterday"),
                "PARAMETER_INVALID", "customerTimestamp"));
        cases.add(reject("customerTimestamp without offset", set("customerTimestamp", "2020-02-21T17:32:28"),
                "PARAMETER_INVALID", "customerTimestamp"));
        cases.add(reject("customerTimestamp date only", set("customerTimestamp", "2020-02-21"),
                "PARAMETER_INVALID", "customerTimestamp"));
        cases.add(reject("customerTimestamp impossible date", set("customerTimestamp", "2020-02-30T17:32:28Z"),
                "PARAMETER_INVALID", "customerTimestamp"));
        cases.add(reject("customerTimestamp epoch number", set("customerTimestamp", 1582306348),
                "PARAMETER_INVALID", "customerTimestamp"));
        // statementDescription
        cases.add(reject("statementDescription missing", remove("statementDescription"),
                "PARAMETER_INVALID", "statementDescription"));
        cases.add(reject("statementDescription of 3 characters", set("statementDescription", "abc"),
                "PARAMETER_INVALID", "statementDescription"));
        cases.add(reject("statementDescription of 23 characters", set("statementDescription", "a".repeat(23)),
                "PARAMETER_INVALID", "statementDescription"));
        cases.add(reject("statementDescription with punctuation", set("statementDescription", "Order #123!"),
                "PARAMETER_INVALID", "statementDescription"));
        cases.add(reject("statementDescription with a hyphen", set("statementDescription", "Order-123"),
                "PARAMETER_INVALID", "statementDescription"));
        cases.add(reject("statementDescription with an accent", set("statementDescription", "Caf\u00e9 order"),
                "PARAMETER_INVALID", "statementDescription"));
        // preAuthorisationCode
        cases.add(reject("preAuthorisationCode empty", set("preAuthorisationCode", ""),
                "PARAMETER_INVALID", "preAuthorisationCode"));
        cases.add(reject("preAuthorisationCode of 37 characters", set("preAuthorisationCode", "A".repeat(37)),
                "PARAMETER_INVALID", "preAuthorisationCode"));
        cases.add(reject("preAuthorisationCode with punctuation", set("preAuthorisationCode", "12-34"),
                "PARAMETER_INVALID", "preAuthorisationCode"));
        cases.add(reject("preAuthorisationCode a number", set("preAuthorisationCode", 1234),
                "PARAMETER_INVALID", "preAuthorisationCode"));
        // metadata
        cases.add(reject("11 metadata items", set("metadata", metadata(11)), "PARAMETER_INVALID", "metadata"));
        cases.add(reject("metadata not an array", set("metadata", Map.of("orderId", "ORD-1")),
                "PARAMETER_INVALID", "metadata"));
        cases.add(reject("metadata item without fieldValue", set("metadata", List.of(Map.of("fieldName", "orderId"))),
                "PARAMETER_INVALID", "metadata"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badBodies")
    void aBadBodyIsRejectedWithTheSpecsCodeAndAMessageNamingTheField(String name, Consumer<Map<String, Object>> change,
                                                                  String code, String field) {
        Map<String, Object> body = validBody();
        change.accept(body);

        Response response = gateway.postDeposit(body);

        response.then().statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo(code))
                .body("rejectionReason.rejectionMessage", containsString(field));
        if (body.get("depositId") instanceof String id && PawapayRequests.UUID_FORMAT.matcher(id).matches()) {
            response.then().body("depositId", equalTo(id));
            // Nothing was written: the id is still unknown.
            gateway.merchant().get("/deposits/" + id).then().statusCode(200).body("$", hasSize(0));
        }
    }

    @Test
    void theUnchangedValidBodyIsAccepted() {
        Map<String, Object> body = validBody();
        gateway.postDeposit(body).then().statusCode(200)
                .body("depositId", equalTo(body.get("depositId")))
                .body("status", equalTo("ACCEPTED"))
                .body("created", notNullValue());
    }

    static Stream<Arguments> validVariants() {
        return Stream.of(
                Arguments.of("with its own country", set("country", "ZMB")),
                Arguments.of("with an offset timestamp", set("customerTimestamp", "2020-02-21T17:32:28.123+02:00")),
                Arguments.of("with a 4 character statement", set("statementDescription", "Note")),
                Arguments.of("with a 22 character statement", set("statementDescription", "a".repeat(22))),
                Arguments.of("with a 36 character preAuthorisationCode", set("preAuthorisationCode", "A1".repeat(18))),
                Arguments.of("with 10 metadata items", set("metadata", metadata(10))),
                Arguments.of("a whole amount on MPESA_KEN", on("MPESA_KEN", "KES", "254703456789", "10")),
                Arguments.of("at MTN_MOMO_ZMB's minimum",
                        set("amount", Amount.plain(depositLimits("MTN_MOMO_ZMB").min()))),
                Arguments.of("at MTN_MOMO_ZMB's maximum",
                        set("amount", Amount.plain(depositLimits("MTN_MOMO_ZMB").max()))),
                Arguments.of("a whole amount on MTN_MOMO_BEN", on("MTN_MOMO_BEN", "XOF", "22951345789", "150")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validVariants")
    void aBodyAtTheEdgeOfEachRuleIsAccepted(String name, Consumer<Map<String, Object>> change) {
        Map<String, Object> body = validBody();
        change.accept(body);

        gateway.postDeposit(body).then().statusCode(200)
                .body("status", equalTo("ACCEPTED"))
                .body("depositId", equalTo(body.get("depositId")));
    }

    /** The spec's "Valid examples" on a 2-decimal correspondent: accepted unless outside its limits. */
    @ParameterizedTest(name = "amount {0} on MTN_MOMO_ZMB")
    @ValueSource(strings = {"5", "5.0", "5.00", "5.5", "5.55", "5555555", "0.5"})
    void theSpecsValidAmountsAreAcceptedWithinTheLimits(String amount) {
        OperationLimits limits = depositLimits("MTN_MOMO_ZMB");
        assertThat(limits.decimals()).isEqualTo(2);
        BigDecimal value = new BigDecimal(amount);
        String expected = value.compareTo(limits.min()) < 0 ? "AMOUNT_TOO_SMALL"
                : value.compareTo(limits.max()) > 0 ? "AMOUNT_TOO_LARGE" : "ACCEPTED";
        if (amount.equals("0.5")) {
            assertThat(expected).as("0.5 is below ZMW's minimum").isEqualTo("AMOUNT_TOO_SMALL");
        }
        Map<String, Object> body = validBody();
        body.put("amount", amount);

        Response response = gateway.postDeposit(body);

        response.then().statusCode(200).body("depositId", equalTo(body.get("depositId")));
        if (expected.equals("ACCEPTED")) {
            response.then().body("status", equalTo("ACCEPTED"));
            gateway.merchant().get("/deposits/" + body.get("depositId")).then().statusCode(200)
                    .body("$", hasSize(1)).body("[0].requestedAmount", equalTo(amount));
        } else {
            response.then().body("status", equalTo("REJECTED"))
                    .body("rejectionReason.rejectionCode", equalTo(expected))
                    .body("rejectionReason.rejectionMessage", containsString("amount"));
        }
    }

    // ---------------------------------------------------------------- not a JSON object

    /** A valid deposit body as JSON text, for bodies that wrap or extend it. */
    static String validJson(String depositId) {
        return "{\"depositId\":\"" + depositId + "\",\"amount\":\"15\",\"currency\":\"ZMW\","
                + "\"correspondent\":\"MTN_MOMO_ZMB\",\"payer\":{\"type\":\"MSISDN\",\"address\":{\"value\":\""
                + ZMB_PAYER + "\"}},\"customerTimestamp\":\"2020-02-21T17:32:28Z\","
                + "\"statementDescription\":\"Note of 4 to 22 chars\"}";
    }

    static Stream<Arguments> unparsableBodies() {
        return Stream.<java.util.function.Function<String, Arguments>>of(
                id -> Arguments.of("broken JSON", id, "{\"depositId\": \"" + id + "\", "),
                id -> Arguments.of("not JSON at all", id, "depositId=" + id + "&amount=15"),
                id -> Arguments.of("a JSON array", id, "[]"),
                id -> Arguments.of("a JSON array holding a valid deposit", id, "[" + validJson(id) + "]"),
                id -> Arguments.of("a JSON string", id, "\"deposit\""),
                id -> Arguments.of("a JSON number", id, "42"),
                id -> Arguments.of("JSON null", id, "null"),
                id -> Arguments.of("an empty body", id, ""),
                id -> Arguments.of("a valid deposit followed by garbage", id, validJson(id) + " trailing garbage"),
                id -> Arguments.of("a valid deposit followed by a second object", id, validJson(id) + " {}"))
                .map(f -> f.apply(UUID.randomUUID().toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparsableBodies")
    void aBodyThatIsNotAJsonObjectIsHttp400InvalidInput(String name, String depositId, String body) {
        gateway.merchant().body(body).post("/deposits").then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("rejectionReason.rejectionCode", equalTo("INVALID_INPUT"));
        // Whatever part of it looked like a deposit was not taken as one.
        gateway.merchant().get("/deposits/" + depositId).then().statusCode(200).body("$", hasSize(0));
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void noTokenIsHttp401AuthenticationError() {
        gateway.anonymous().body(validBody()).post("/deposits").then()
                .statusCode(401)
                .body("rejectionReason.rejectionCode", equalTo("AUTHENTICATION_ERROR"));
    }

    @ParameterizedTest(name = "Authorization: \"{0}\"")
    @ValueSource(strings = {"Bearer wrong-token", "Bearer ", "Bearer", TestGateway.DEMO_TOKEN,
        "Basic " + TestGateway.DEMO_TOKEN, "Bearer " + TestGateway.ADMIN_TOKEN})
    void aWrongTokenIsHttp401AuthenticationError(String header) {
        Map<String, Object> body = validBody();
        RestAssured.given().baseUri(gateway.baseUrl()).contentType(ContentType.JSON)
                .header("Authorization", header).body(body).post("/deposits").then()
                .statusCode(401)
                .body("rejectionReason.rejectionCode", equalTo("AUTHENTICATION_ERROR"));
        // And nothing was created for the real merchant.
        gateway.merchant().get("/deposits/" + body.get("depositId")).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aStatusLookUpWithoutAValidTokenIsHttp401() {
        gateway.anonymous().get("/deposits/" + UUID.randomUUID()).then()
                .statusCode(401)
                .body("rejectionReason.rejectionCode", equalTo("AUTHENTICATION_ERROR"));
        gateway.as("wrong-token").get("/deposits/" + UUID.randomUUID()).then()
                .statusCode(401)
                .body("rejectionReason.rejectionCode", equalTo("AUTHENTICATION_ERROR"));
    }

    // ---------------------------------------------------------------- nothing is half-written

    @Test
    void aRejectedRequestCreatesNothingAndItsIdStaysFree() {
        Map<String, Object> body = validBody();
        String id = (String) body.get("depositId");
        body.put("amount", "5.555");

        gateway.postDeposit(body).then().statusCode(200)
                .body("depositId", equalTo(id))
                .body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo("INVALID_AMOUNT"));
        gateway.merchant().get("/deposits/" + id).then().statusCode(200).body("$", hasSize(0));

        // A rule of the core (not the wire format) rejects too, and still writes nothing.
        body.put("amount", aboveMax("MTN_MOMO_ZMB"));
        gateway.postDeposit(body).then().statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("rejectionReason.rejectionCode", equalTo("AMOUNT_TOO_LARGE"));
        gateway.merchant().get("/deposits/" + id).then().statusCode(200).body("$", hasSize(0));

        body.put("amount", "15");
        gateway.postDeposit(body).then().statusCode(200)
                .body("depositId", equalTo(id))
                .body("status", equalTo("ACCEPTED"));
        gateway.merchant().get("/deposits/" + id).then().statusCode(200)
                .body("$", hasSize(1)).body("[0].depositId", equalTo(id)).body("[0].requestedAmount", equalTo("15"));
    }

    @Test
    void rejectedRequestsLeaveNoRowsInTheDatabase() {
        String id = UUID.randomUUID().toString();
        Map<String, Object> body = validBody();
        body.put("depositId", id);
        body.put("currency", "KES");
        gateway.postDeposit(body).then().statusCode(200).body("status", equalTo("REJECTED"));

        int rows = gateway.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM payment WHERE client_ref = :id").bind("id", id).mapTo(Integer.class).one());
        assertThat(rows).isZero();
    }
}
