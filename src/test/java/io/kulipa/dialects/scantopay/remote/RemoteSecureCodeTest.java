package io.kulipa.dialects.scantopay.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 3-D Secure on the simulated ACS, driven over HTTP as a wallet's WebView would: the look-up
 * sends an OTP to the handset's SMS inbox, the HTML page takes it, and answers the paRes that
 * authenticates the card for that transactionId; wrong OTPs count, the third fails it. MSISDNs
 * in international format only, one wallet profile per MSISDN per brand.
 */
class RemoteSecureCodeTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    /** 400500-400999: 3DS with CVV. */
    static final String THREE_DS_PAN = "4005000000000015";
    private static final Pattern OTP = Pattern.compile("password for card \\*\\*\\*\\*0015 is ([0-9]{6})");

    private static Map<String, Object> lookup(String msisdn, String transactionId) {
        return Map.of("msisdn", msisdn, "transactionId", transactionId, "pan", THREE_DS_PAN, "expiry", "1230",
                "cvv", "123");
    }

    /** A lookup of a new code by the demo wallet: the transactionId a 3-D Secure look-up is for. */
    private static String transactionId(String msisdn) {
        TestGateway g = gateway.get();
        var wig = g.kulipa().dialect(io.kulipa.dialects.scantopay.ScantopayDialect.class).demo();
        String code = RestAssured.given().baseUri(g.baseUrl()).auth().preemptive().basic(wig.username(), wig.password())
                .contentType("application/json").body(Map.of("amount", 10, "merchantReference", "3ds-" + msisdn,
                        "useOnce", false)).post("/pluto/code/create").then().statusCode(200).extract().path("code");
        return RemoteClient.asDemo(g).body(Map.of("msisdn", msisdn, "value", code))
                .post(RemotePurchaseRoutes.LOOKUP).then().statusCode(200).extract().path("transactionId");
    }

    private static String lastOtp(String msisdn) {
        List<String> texts = RestAssured.given().baseUri(gateway.get().baseUrl()).get("/sandbox/handsets/" + msisdn + "/sms")
                .then().statusCode(200).extract().jsonPath().getList("text", String.class);
        String found = null;
        for (String t : texts) {
            Matcher m = OTP.matcher(t);
            if (m.find()) {
                found = m.group(1);
            }
        }
        assertThat(found).as("an OTP in the inbox of " + msisdn).isNotNull();
        return found;
    }

    private static String path(String acsUrl) {
        return URI.create(acsUrl).getPath();
    }

    @Test
    void theCustomerPassesTheAcsPageWithTheOtpFromTheHandsetAndGetsAPaRes() {
        TestGateway g = gateway.get();
        String msisdn = "27831000001";
        String tx = transactionId(msisdn);
        // Only a lookup of this wallet and MSISDN can be authenticated.
        RemoteClient.asDemo(g).body(lookup("+" + msisdn, "TX-3DS-1")).post(RemoteRoutes.SECURE_CODE_LOOKUP).then()
                .statusCode(200).body("status", equalTo("ERROR")).body("errorMessage", containsString("transactionId"));
        RemoteClient.asDemo(g).body(lookup("27831000009", tx)).post(RemoteRoutes.SECURE_CODE_LOOKUP).then()
                .statusCode(200).body("status", equalTo("ERROR"));
        var started = RemoteClient.asDemo(g).body(lookup("+" + msisdn, tx)).post(RemoteRoutes.SECURE_CODE_LOOKUP)
                .then().statusCode(200).body("status", equalTo("SUCCESS")).body("transactionId", equalTo(tx))
                .extract().jsonPath();
        String id = started.getString("secureCodeId");
        String acs = path(started.getString("acsUrl"));
        assertThat(acs).isEqualTo(RemoteRoutes.BASE + "/acs/" + id);

        String page = RestAssured.given().baseUri(g.baseUrl()).get(acs).then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertThat(page).contains("<form method=\"post\"", "name=\"otp\"").doesNotContain(THREE_DS_PAN);

        String otp = lastOtp(msisdn);
        String wrong = otp.equals("000000") ? "111111" : "000000";
        RestAssured.given().baseUri(g.baseUrl()).formParam("otp", wrong).post(acs).then().statusCode(200)
                .body(containsString("data-status=\"WRONG_OTP\""), containsString("2 attempt(s) left"));
        var passed = RestAssured.given().baseUri(g.baseUrl()).formParam("otp", otp).post(acs).then().statusCode(200)
                .body(containsString("data-status=\"AUTHENTICATED\"")).extract();
        String paRes = passed.header("X-Kulipa-PaRes");
        assertThat(paRes).startsWith("PARES");
        assertThat(passed.asString()).contains("<code id=\"paRes\">" + paRes + "</code>");
        // Once only.
        RestAssured.given().baseUri(g.baseUrl()).formParam("otp", otp).post(acs).then().statusCode(409);

        // The paRes authenticates this card for this transactionId and wallet only.
        var dialect = g.kulipa().dialect(ScanToPayRemoteDialect.class);
        var checking = dialect.secureCodes();
        var demo = RemoteClient.demo(g);
        String card = dialect.cardHash(THREE_DS_PAN);
        assertThat(checking.problem(demo.brandId(), msisdn, tx, card, id, paRes)).isNull();
        assertThat(checking.problem(demo.brandId(), msisdn, tx, card, id, paRes + "x")).contains("paRes");
        assertThat(checking.problem(demo.brandId(), msisdn, "TX-OTHER", card, id, paRes)).contains("another transactionId");
        assertThat(checking.problem(demo.brandId(), "27831000002", tx, card, id, paRes)).contains("secureCodeId");
        assertThat(checking.problem(demo.brandId(), msisdn, tx, dialect.cardHash("5100000000000016"), id,
                paRes)).contains("another transactionId or card");

        // Neither the OTP, the paRes nor the PAN is stored in clear.
        var row = g.jdbi().withHandle(h -> h.createQuery("SELECT * FROM stp_remote_secure_code WHERE id = :id")
                .bind("id", id).mapToMap().one());
        assertThat(row.toString()).doesNotContain(otp, paRes, THREE_DS_PAN).contains("0015");
        // The '+' was stripped: one profile of the MSISDN in digits.
        long profiles = g.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM stp_remote_profile WHERE msisdn = :m")
                .bind("m", msisdn).mapTo(Long.class).one());
        assertThat(profiles).isEqualTo(1L);
    }

    @Test
    void threeWrongOtpsFailTheChallenge() {
        TestGateway g = gateway.get();
        String msisdn = "27831000003";
        String acs = path(RemoteClient.asDemo(g).body(lookup(msisdn, transactionId(msisdn))).post(RemoteRoutes.SECURE_CODE_LOOKUP)
                .then().statusCode(200).extract().path("acsUrl"));
        String otp = lastOtp(msisdn);
        String wrong = otp.equals("000000") ? "111111" : "000000";
        RestAssured.given().baseUri(g.baseUrl()).formParam("otp", wrong).post(acs).then().body(containsString("WRONG_OTP"));
        RestAssured.given().baseUri(g.baseUrl()).formParam("otp", "abc").post(acs).then().body(containsString("WRONG_OTP"));
        RestAssured.given().baseUri(g.baseUrl()).formParam("otp", wrong).post(acs).then()
                .body(containsString("data-status=\"FAILED\""));
        // Even the right OTP is too late now.
        RestAssured.given().baseUri(g.baseUrl()).formParam("otp", otp).post(acs).then()
                .body(containsString("data-status=\"FAILED\""));
        RestAssured.given().baseUri(g.baseUrl()).get(RemoteRoutes.BASE + "/acs/nope").then().statusCode(404);
    }

    @Test
    void theLookupValidatesTheMsisdnAndTheCard() {
        TestGateway g = gateway.get();
        RemoteClient.asDemo(g).body(lookup("0832006283", "TX-3")).post(RemoteRoutes.SECURE_CODE_LOOKUP).then()
                .statusCode(400).body("status", equalTo("BAD_REQUEST")).body("errorMessage", containsString("national format"));
        RemoteClient.asDemo(g).body(Map.of("msisdn", "27832006283", "transactionId", "TX-3", "pan", "4005000000000016",
                "expiry", "1230", "cvv", "123")).post(RemoteRoutes.SECURE_CODE_LOOKUP).then().statusCode(400)
                .body("errorMessage", equalTo("pan: fails the Luhn check"));
        RemoteClient.asDemo(g).body(Map.of("msisdn", "27832006283", "transactionId", "TX-3", "pan", THREE_DS_PAN,
                "expiry", "0120", "cvv", "123")).post(RemoteRoutes.SECURE_CODE_LOOKUP).then().statusCode(400)
                .body("errorMessage", equalTo("expiry: the card has expired"));
        RemoteClient.asDemo(g).body(Map.of("msisdn", "27832006283", "transactionId", "TX-3", "pan", THREE_DS_PAN,
                "expiry", "1230")).post(RemoteRoutes.SECURE_CODE_LOOKUP).then().statusCode(400)
                .body("errorMessage", containsString("cvv: required"));
        // A PIN (AMT) card has no 3-D Secure.
        RemoteClient.asDemo(g).body(Map.of("msisdn", "27832006283", "transactionId", "TX-3", "pan", "4000000000000010",
                "expiry", "1230", "accountType", "20")).post(RemoteRoutes.SECURE_CODE_LOOKUP).then().statusCode(200)
                .body("status", equalTo("ERROR")).body("errorMessage", containsString("AMT"));
        RemoteClient.asDemo(g).body(Map.of("msisdn", "27832006283", "pan", THREE_DS_PAN, "expiry", "1230", "cvv", "123"))
                .post(RemoteRoutes.SECURE_CODE_LOOKUP).then().statusCode(400)
                .body("errorMessage", containsString("transactionId"));
        // Nothing was written for any of them.
        long profiles = g.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM stp_remote_profile WHERE msisdn IN "
                + "('27832006283', '832006283')").mapTo(Long.class).one());
        assertThat(profiles).isZero();
    }

    @Test
    void thePinKeyIsPublishedAndTheSandboxToolEncryptsABlockThatReadsBack() {
        TestGateway g = gateway.get();
        var key = RestAssured.given().baseUri(g.baseUrl()).get(RemoteRoutes.PIN_KEY).then().statusCode(200)
                .body("algorithm", equalTo("RSA-OAEP-256")).body("pinBlockFormat", equalTo("ISO-9564-0"))
                .extract().jsonPath();
        assertThat(key.getString("publicKey")).startsWith("-----BEGIN PUBLIC KEY-----");
        var made = RestAssured.given().baseUri(g.baseUrl()).contentType("application/json")
                .body(Map.of("pan", "4000000000000010", "pin", "1234")).post(SandboxPinBlockRoutes.PATH).then()
                .statusCode(200).body("keyId", equalTo(key.getString("keyId"))).extract().jsonPath();
        String encrypted = made.getString("encryptedData");
        var read = g.kulipa().dialect(ScanToPayRemoteDialect.class).pinData().read(encrypted, "4000000000000010");
        assertThat(read.pin()).isEqualTo("1234");
        RestAssured.given().baseUri(g.baseUrl()).contentType("application/json")
                .body(Map.of("pan", "4000000000000010", "pin", "12")).post(SandboxPinBlockRoutes.PATH).then()
                .statusCode(400).body("errorMessage", containsString("pin:"));
    }
}
