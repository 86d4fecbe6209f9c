package io.kulipa.dialects.scantopay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.payments.Payment;
import io.kulipa.payments.PaymentKind;
import io.kulipa.payments.PaymentState;
import io.kulipa.testing.Browser;
import io.kulipa.testing.BrowserTest;
import io.kulipa.testing.TestGateway;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * A Scan to Pay card purchase answered on the virtual phone in a real Chromium: the card PIN
 * prompt shows with its amount and masked card, a wrong PIN is refused on the page, the right one
 * completes the purchase and debits exactly its amount from the card.
 */
@BrowserTest
class ScantopayPhoneBrowserTest {

    static final String PIN = "918273";
    static TestGateway gateway;
    static ScantopayDialect dialect;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(Map.of("KULIPA_SANDBOX_APPROVAL_WINDOW", "60s"));
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

    static BigDecimal available(String msisdn) {
        return new BigDecimal(wig().body(Map.of("msisdn", msisdn)).post("/pluto/purchase/network/balance").then()
                .statusCode(200).extract().jsonPath().getString("availableBalance"));
    }

    @Test
    void theCardPinPromptIsAnsweredOnThePhoneAfterAWrongPin() {
        String msisdn = "27835550111";
        RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .body(Map.of("pan", "4000000000000077", "expiry", "2031-01", "pin", PIN, "balance", "300.00"))
                .post("/sandbox/handsets/" + msisdn + "/cards").then().statusCode(201);
        RestAssured.given().baseUri(gateway.baseUrl()).contentType("application/json")
                .body(Map.of("approval", "manual")).put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(200);
        String code = wig().body(Map.of("amount", new BigDecimal("42.50"), "merchantReference", "phone-1", "useOnce", true,
                "shortDescription", "Order phone-1")).post("/pluto/code/create").then().statusCode(200).extract().path("code");
        long txId = wig().body(Map.of("msisdn", msisdn, "code", code)).post("/pluto/purchase/network/code")
                .then().statusCode(200).extract().jsonPath().getLong("transactionId");

        try (Browser browser = Browser.start(Browser.PHONE)) {
            browser.open(gateway.baseUrl() + "/sandbox/phone/" + msisdn);
            WebElement card = browser.until(Duration.ofSeconds(15), d -> {
                List<WebElement> cards = d.findElements(By.cssSelector("#prompts form.prompt"));
                return cards.size() == 1 ? cards.getFirst() : null;
            });
            assertThat(card.getText()).contains("42.50", "****0077", "Card PIN");
            WebElement pin = browser.tabTo(By.cssSelector("#prompts input[data-name=pin]"), 15);
            pin.sendKeys("000000", Keys.ENTER);
            browser.waitForText(By.cssSelector("#prompts .error"), "Wrong PIN");
            assertThat(purchase(txId).state().isFinal()).isFalse();
            browser.find(By.cssSelector("#prompts input[data-name=pin]")).sendKeys(PIN, Keys.ENTER);
            browser.until(d -> d.findElements(By.cssSelector("#prompts form.prompt")).isEmpty());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> purchase(txId).state() == PaymentState.COMPLETED);
        assertThat(available(msisdn)).isEqualByComparingTo("257.50");
    }

    static Payment purchase(long txId) {
        return gateway.kulipa().core().payments().find(gateway.kulipa().demoMerchantId(), "scantopay",
                PaymentKind.DEPOSIT, Long.toString(txId)).orElseThrow();
    }
}
