package io.kulipa.dialects.scantopay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.dialects.scantopay.purchases.UssdWhitelist;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The USSD BIN and expiry whitelist (data: {@code scantopay/ussd-whitelist.csv}): a card-not-present
 * range's refusals are 468, a 3-D Secure range's 469, for a BIN that is not whitelisted and for an
 * expiry that is not (expired, or later than the range's latest); nothing is written for them.
 */
class ScantopayWhitelistTest {

    static TestGateway gateway;
    static ScantopayDialect dialect;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(Map.of());
        dialect = gateway.kulipa().dialect(ScantopayDialect.class);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static RequestSpecification wig() {
        return RestAssured.given().baseUri(gateway.baseUrl()).auth().preemptive()
                .basic(dialect.demo().username(), dialect.demo().password()).contentType("application/json");
    }

    /** Links a card to a handset through the sandbox and answers its card id. */
    static String link(String msisdn, String pan, String expiry) {
        RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .body(Map.of("pan", pan, "expiry", expiry, "balance", "500.00"))
                .post("/sandbox/handsets/" + msisdn + "/cards").then().statusCode(201);
        List<Map<String, Object>> cards = wig().get("/pluto/purchase/network/cards?msisdn=" + msisdn).then()
                .statusCode(200).extract().path("cards");
        return cards.stream().filter(c -> pan.endsWith(c.get("last4").toString())).findFirst().orElseThrow()
                .get("cardId").toString();
    }

    static io.restassured.response.ValidatableResponse buy(String msisdn, String cardId) {
        return wig().body(Map.of("msisdn", msisdn, "amount", new BigDecimal("10.00"), "merchantReference",
                "whitelist-" + cardId, "cardId", cardId)).post("/pluto/purchase/network").then();
    }

    static long purchases() {
        return gateway.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment WHERE dialect = 'scantopay'")
                .mapTo(Long.class).one());
    }

    @Test
    void theWhitelistIsDataAndTellsCnpFrom3dsAndBinFromExpiry() {
        UssdWhitelist w = UssdWhitelist.load();
        YearMonth now = YearMonth.of(2026, 12);
        assertThat(w.refusal("400000", YearMonth.of(2030, 12), now, "cardId")).isEmpty();
        assertThat(w.refusal("520500", YearMonth.of(2031, 1), now, "cardId")).isEmpty();
        assertThat(w.method("520500")).isEqualTo(UssdWhitelist.Method.THREE_DS);
        assertThat(w.method("999999")).isEqualTo(UssdWhitelist.Method.CNP);
        var cnpBin = w.refusal("530000", YearMonth.of(2030, 12), now, "cardId").orElseThrow();
        assertThat(cnpBin.status()).isEqualTo(468);
        assertThat(cnpBin.message()).startsWith("cardId:").contains("BIN", "card-not-present");
        var cnpExpired = w.refusal("400000", YearMonth.of(2026, 11), now, "cardId").orElseThrow();
        assertThat(cnpExpired.status()).isEqualTo(468);
        assertThat(cnpExpired.message()).contains("expired");
        assertThat(w.refusal("400000", YearMonth.of(2040, 1), now, "cardId").orElseThrow().status()).isEqualTo(468);
        assertThat(w.refusal("400000", YearMonth.of(2026, 12), now, "cardId")).as("expires this month").isEmpty();
        var tdsExpiry = w.refusal("520500", YearMonth.of(2033, 1), now, "pan").orElseThrow();
        assertThat(tdsExpiry.status()).isEqualTo(469);
        assertThat(tdsExpiry.message()).startsWith("pan:").contains("expiry", "2033-01", "2032-12", "3-D Secure");
        var tdsBin = w.refusal("530500", YearMonth.of(2030, 12), now, "cardId").orElseThrow();
        assertThat(tdsBin.status()).isEqualTo(469);
        assertThat(tdsBin.message()).contains("BIN");
        assertThat(w.refusal("999999", YearMonth.of(2030, 12), now, "cardId").orElseThrow().status())
                .as("a BIN in no range").isEqualTo(468);
    }

    @Test
    void wigPurchasesAreRefused468Or469AndNothingIsWritten() {
        String msisdn = "27835550301";
        String tdsOk = link(msisdn, "5205000000000010", "2031-01");
        String tdsLate = link(msisdn, "5206000000000027", "2033-01");
        String tdsBin = link(msisdn, "5305000000000035", "2030-12");
        String cnpLate = link(msisdn, "4000000000000143", "2040-01");
        long before = purchases();
        buy(msisdn, tdsLate).statusCode(469).body("name", equalTo("WIG_3DS_PURCHASE_FAIL_CARD_EXPIRY_BIN_NOT_WHIELIST"))
                .body("message", containsString("cardId: the card's expiry (2033-01)"));
        buy(msisdn, tdsBin).statusCode(469).body("message", containsString("cardId: the card's BIN"));
        buy(msisdn, cnpLate).statusCode(468).body("name", equalTo("WIG_CNP_PURCHASE_FAIL_CARD_EXPIRY_BIN_NOT_WHIELIST"))
                .body("message", containsString("expiry (2040-01)"));
        // The seeded test cards: a BIN not whitelisted and an expired card, both CNP.
        String namaqua = cardOf("27721234567", "0006");
        buy("27721234567", namaqua).statusCode(468).body("message", containsString("cardId: the card's BIN"));
        String expired = cardOf("27841234567", "0036");
        buy("27841234567", expired).statusCode(468).body("message", containsString("expired"));
        // Paying a code with the same card is refused the same way, and the code is not used up.
        String code = wig().body(Map.of("amount", new BigDecimal("10.00"), "merchantReference", "wl-code"))
                .post("/pluto/code/create").then().statusCode(200).extract().path("code");
        wig().body(Map.of("msisdn", msisdn, "code", code, "cardId", tdsLate)).post("/pluto/purchase/network/code")
                .then().statusCode(469);
        assertThat(purchases()).isEqualTo(before);
        wig().body(Map.of("msisdn", msisdn, "code", code, "cardId", tdsOk)).post("/pluto/purchase/network/code")
                .then().statusCode(200);
        buy(msisdn, tdsOk).statusCode(200);
        assertThat(purchases()).isEqualTo(before + 2);
    }

    @Test
    void theStkGroupLinksAndDescribesCardsByTheSameWhitelist() {
        RequestSpecification stk = wig();
        stk.body(Map.of("msisdn", "27835550302", "pan", "5306000000000042", "expiry", "1230"))
                .post("/pluto/stk/cards/link").then().statusCode(469).body("message", containsString("pan: the card's BIN"));
        wig().body(Map.of("msisdn", "27835550302", "pan", "5206000000000027", "expiry", "0133"))
                .post("/pluto/stk/cards/link").then().statusCode(469).body("message", containsString("pan: the card's expiry"));
        wig().body(Map.of("msisdn", "27835550302", "pan", "5300000000000006", "expiry", "1230"))
                .post("/pluto/stk/cards/link").then().statusCode(468);
        wig().body(Map.of("msisdn", "27835550302", "pan", "5205000000000010", "expiry", "0131"))
                .post("/pluto/stk/cards/link").then().statusCode(200).body("last4", equalTo("0010"));
        wig().body(Map.of("bin", "520500")).post("/pluto/stk/cards/binInfo").then().statusCode(200)
                .body("authMethod", equalTo("3DS")).body("ussdWhitelisted", equalTo(true))
                .body("lastExpiry", equalTo("2032-12"));
        wig().body(Map.of("bin", "530000")).post("/pluto/stk/cards/binInfo").then().statusCode(200)
                .body("authMethod", equalTo("PIN")).body("ussdWhitelisted", equalTo(false));
    }

    static String cardOf(String msisdn, String last4) {
        List<Map<String, Object>> cards = wig().get("/pluto/purchase/network/cards?msisdn=" + msisdn).then()
                .statusCode(200).extract().path("cards");
        return cards.stream().filter(c -> last4.equals(c.get("last4"))).findFirst().orElseThrow().get("cardId")
                .toString();
    }
}
