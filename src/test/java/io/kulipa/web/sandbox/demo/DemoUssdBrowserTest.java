package io.kulipa.web.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kulipa.payments.PaymentState;
import io.kulipa.testing.Browser;
import io.kulipa.testing.BrowserTest;
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
 * The whole USSD card payment in a real Chromium, as a customer does it: dial the demo
 * application's code on the virtual phone, choose "pay a code", type the merchant's code, choose
 * the second linked card, then enter the card PIN on the prompt that comes to the same phone; the
 * merchant's receiver gets the Scan to Pay notification of the success.
 */
@BrowserTest
class DemoUssdBrowserTest {

    @BeforeAll
    static void start() {
        DemoUssdEndToEndTest.start();
    }

    @AfterAll
    static void stop() {
        DemoUssdEndToEndTest.stop();
    }

    @Test
    void aCodeIsPaidFromDiallingOnThePhoneToTheMerchantsNotification() {
        String msisdn = "27835550211";
        DemoUssdEndToEndTest.customer(msisdn, "4000000000000143", "250.00", "5200000000000148", "600.00");
        String code = DemoUssdEndToEndTest.wig().body(Map.of("amount", new BigDecimal("99.90"), "merchantReference",
                        "phone-order-7", "useOnce", true, "shortDescription", "Order 7"))
                .post("/pluto/code/create").then().statusCode(200).extract().path("code");

        long txId;
        try (Browser browser = Browser.start(Browser.PHONE)) {
            browser.open(DemoUssdEndToEndTest.gateway.baseUrl() + "/sandbox/phone/" + msisdn);
            browser.waitFor(By.id("no-prompts"));
            browser.tabTo(By.id("tab-dial"), 10).sendKeys(Keys.ENTER);
            browser.waitFor(By.id("dial-code")).sendKeys(DemoUssd.SERVICE_CODE, Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "1. Pay a code");
            browser.driver().switchTo().activeElement().sendKeys("1", Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "10-digit");
            browser.find(By.id("ussd-input")).sendKeys(code, Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "Pay code " + code + " with:");
            assertThat(browser.find(By.id("ussd-screen")).getText())
                    .contains("1. ****0143 Kulipa Test Bank", "2. ****0148 Karoo Credit Union");
            browser.screenshot("demo-ussd-choose-card");
            browser.find(By.id("ussd-input")).sendKeys("2", Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "R99.90 to pay with ****0148");
            assertThat(browser.find(By.id("ussd-form")).isDisplayed()).isFalse();
            String screen = browser.find(By.id("ussd-screen")).getText();
            txId = Long.parseLong(screen.replaceAll("(?s).*\\(ref ([0-9]+)\\).*", "$1"));
            // OK closes the screen; the card PIN prompt that came meanwhile takes the focus.
            browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
            browser.until(d -> !d.findElement(By.id("ussd")).isDisplayed());
            WebElement card = browser.until(Duration.ofSeconds(15), d -> {
                List<WebElement> cards = d.findElements(By.cssSelector("#prompts form.prompt"));
                return cards.size() == 1 && cards.getFirst().isDisplayed() ? cards.getFirst() : null;
            });
            assertThat(card.getText()).contains("99.90", "****0148", "Card PIN");
            browser.until(d -> "pin".equals(d.switchTo().activeElement().getAttribute("data-name")));
            browser.screenshot("demo-ussd-card-pin");
            browser.driver().switchTo().activeElement().sendKeys(DemoUssdEndToEndTest.PIN, Keys.ENTER);
            browser.until(d -> d.findElements(By.cssSelector("#prompts form.prompt")).isEmpty());

            JsonNode n = DemoUssdEndToEndTest.notification(txId);
            assertThat(n.path("status").asText()).isEqualTo("SUCCESS");
            assertThat(n.path("reference").asText()).isEqualTo("phone-order-7");
            assertThat(n.path("amount").decimalValue()).isEqualByComparingTo("99.90");
            assertThat(n.path("cardLast4").asText()).isEqualTo("0148");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> DemoUssdEndToEndTest.purchase(txId).state() == PaymentState.COMPLETED);
        assertThat(DemoUssdEndToEndTest.balanceOf(msisdn, 2)).isEqualByComparingTo("500.10");
        assertThat(DemoUssdEndToEndTest.balanceOf(msisdn, 1)).isEqualByComparingTo("250.00");
        assertThat(DemoUssdEndToEndTest.gateway.kulipa().ledger().verify()).isEmpty();
    }
}
