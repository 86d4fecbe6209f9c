package io.kulipa.dialects.pawapay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;

import io.kulipa.testing.Browser;
import io.kulipa.testing.BrowserTest;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Payment Page end to end in a real Chromium: a session by API, the redirectUrl opened, the
 * country chosen, the number typed (the operator predicted), the amount typed, "Pay" pressed from
 * the keyboard, the PIN prompt approved on the virtual phone in a second tab (or refused through
 * the handset API), and the browser
 * forwarded to {@code returnUrl?depositId=...} with the deposit COMPLETED (or FAILED), on a
 * phone-sized and on a desktop window. The screenshots are the README's.
 */
@BrowserTest
class PaymentPageBrowserTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(Map.of("KULIPA_SANDBOX_APPROVAL", "manual",
            "KULIPA_SANDBOX_APPROVAL_WINDOW", "60s"));

    static String returnUrl() {
        return gateway.baseUrl() + "/health?shop=demo";
    }

    static String session(Map<String, Object> fixed) {
        Map<String, Object> body = new HashMap<>(fixed);
        body.put("returnUrl", returnUrl());
        body.put("statementDescription", "Festival ticket");
        body.put("reason", "Ticket to festival");
        return gateway.merchant().body(body).post("/v1/widget/sessions").then().statusCode(200)
                .body("redirectUrl", startsWith(gateway.baseUrl() + "/pay/")).extract().path("redirectUrl");
    }

    static List<Map<String, Object>> prompts(String msisdn) {
        return gateway.anonymous().get("/sandbox/handsets/" + msisdn + "/prompts").then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    /** The handset's one pending prompt, once it shows. */
    static Map<String, Object> prompt(String msisdn) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> prompts(msisdn), l -> l.size() == 1).getFirst();
    }

    @Test
    void aCustomerOnAPhoneChoosesTypesPaysApprovesAndLandsOnTheReturnUrlWithTheDepositCompleted() {
        String depositId = UUID.randomUUID().toString();
        String msisdn = "260763000222";
        String url = session(Map.of("depositId", depositId));
        try (Browser browser = Browser.start(Browser.PHONE)) {
            browser.open(url);
            browser.waitFor(By.id("pay-form"));
            assertThat(browser.text()).contains("Pay with mobile money", "Ticket to festival");
            new Select(browser.find(By.id("country"))).selectByValue("ZMB");
            browser.screenshot("payment-page-phone");

            WebElement number = browser.find(By.id("msisdn"));
            number.click();
            number.sendKeys("+260 76 300 0222");
            // The operator is predicted from the number, as /v1/predict-correspondent does.
            browser.until(d -> d.findElement(By.id("op-MTN_MOMO_ZMB")).isSelected());
            assertThat(browser.find(By.id("amount-help")).getText()).contains("ZMW", "MTN");
            WebElement amount = browser.find(By.id("amount"));
            amount.sendKeys("12345678");
            browser.tabTo(By.id("pay-button"), 10).sendKeys(Keys.ENTER);
            assertThat(browser.waitFor(By.id("amount-error")).getText()).contains("between");
            amount.clear();
            amount.sendKeys("25.50");
            // The keyboard alone reaches "Pay".
            browser.tabTo(By.id("pay-button"), 10).sendKeys(Keys.ENTER);

            browser.waitFor(By.id("step-authorise"));
            assertThat(browser.find(By.id("authorise-msisdn")).getText()).isEqualTo(msisdn);
            assertThat(browser.find(By.id("authorise-amount")).getText()).isEqualTo("25.50 ZMW");
            assertThat(gateway.depositStatus(depositId)).isIn("ACCEPTED", "SUBMITTED");
            browser.screenshot("payment-page-authorise");

            // The customer approves on the virtual phone, in a second tab.
            assertThat(prompt(msisdn).get("reference")).isNotNull();
            String checkout = browser.openTab(gateway.baseUrl() + "/sandbox/phone/" + msisdn);
            WebElement card = browser.until(Duration.ofSeconds(15), d -> {
                List<WebElement> cards = d.findElements(By.cssSelector("#prompts form.prompt"));
                return cards.size() == 1 ? cards.getFirst() : null;
            });
            assertThat(card.getText()).contains("25.5 ZMW", "Festival ticket");
            card.findElement(By.cssSelector("input[data-name=pin]")).sendKeys("1234", Keys.ENTER);
            browser.until(d -> d.findElements(By.cssSelector("#prompts form.prompt")).isEmpty());
            browser.switchTo(checkout);

            browser.waitForText(By.id("done-title"), "Payment complete");
            browser.screenshot("payment-page-done");
            String landed = browser.waitForUrl(returnUrl());
            assertThat(landed).isEqualTo(returnUrl() + "&depositId=" + depositId);
            assertThat(browser.text()).contains("UP");
        }
        assertThat(gateway.depositStatus(depositId)).isEqualTo("COMPLETED");
    }

    @Test
    void onADesktopAFixedAmountIsPaidFromTheOnlyOpenOperatorAndARefusedPromptForwardsWithTheDepositFailed() {
        String admin = TestGateway.ADMIN_TOKEN;
        gateway.as(admin).body(Map.of("status", "CLOSED")).put("/ops/availability/ZAMTEL_ZMB/DEPOSIT").then()
                .statusCode(200);
        String depositId = UUID.randomUUID().toString();
        String msisdn = "260973000333";
        try (Browser browser = Browser.start(Browser.DESKTOP)) {
            browser.open(session(Map.of("depositId", depositId, "amount", "150", "country", "ZMB")));
            browser.waitFor(By.id("pay-form"));
            assertThat(browser.find(By.id("fixed-amount")).getText()).isEqualTo("150 ZMW");
            assertThat(browser.findAll(By.id("amount"))).isEmpty();
            WebElement zamtel = browser.find(By.id("op-ZAMTEL_ZMB"));
            assertThat(zamtel.isEnabled()).isFalse();
            assertThat(browser.find(By.cssSelector("label[for=op-ZAMTEL_ZMB]")).getText())
                    .contains("Temporarily unavailable");
            browser.find(By.id("msisdn")).sendKeys(msisdn);
            browser.until(d -> d.findElement(By.id("op-AIRTEL_OAPI_ZMB")).isSelected());
            browser.screenshot("payment-page-desktop");
            browser.find(By.id("pay-button")).click();

            browser.waitFor(By.id("step-authorise"));
            Map<String, Object> prompt = prompt(msisdn);
            gateway.anonymous().post("/sandbox/handsets/" + msisdn + "/prompts/" + prompt.get("reference") + "/reject")
                    .then().statusCode(200);
            browser.waitForText(By.id("done-title"), "Payment failed");
            assertThat(browser.find(By.id("done-message")).getText()).contains("not approved");
            assertThat(browser.waitForUrl(returnUrl())).endsWith("&depositId=" + depositId);
        } finally {
            gateway.as(admin).body("{\"status\": null}").put("/ops/availability/ZAMTEL_ZMB/DEPOSIT").then()
                    .statusCode(200);
        }
        assertThat(gateway.depositStatus(depositId)).isEqualTo("FAILED");
    }
    @Test
    void withoutJavaScriptTheCountryChooserShowsItsOperatorsAndTheFormPaysAndReloadsToTheOutcome() {
        String depositId = UUID.randomUUID().toString();
        String msisdn = "260763000444";
        String url = session(Map.of("depositId", depositId));
        try (Browser browser = Browser.startWithoutJavaScript(Browser.PHONE)) {
            browser.open(url);
            // The chooser's button is drawn only when the page's script does not run.
            WebElement show = browser.waitFor(By.id("country-button"));
            assertThat(browser.find(By.cssSelector("label[for=op-MTN_MOMO_ZMB]")).isDisplayed()).isFalse();
            new Select(browser.find(By.id("country"))).selectByValue("ZMB");
            show.click();
            assertThat(browser.waitForUrl(url + "?country=")).isEqualTo(url + "?country=ZMB");
            WebElement mtn = browser.waitFor(By.cssSelector("label[for=op-MTN_MOMO_ZMB]"));
            assertThat(new Select(browser.find(By.id("country"))).getFirstSelectedOption().getAttribute("value"))
                    .isEqualTo("ZMB");
            assertThat(browser.find(By.id("amount-currency")).getText()).isEqualTo("ZMW");
            mtn.click();
            browser.find(By.id("msisdn")).sendKeys(msisdn);
            browser.find(By.id("amount")).sendKeys("30");
            browser.screenshot("payment-page-no-script");
            browser.find(By.id("pay-button")).click();

            browser.waitFor(By.id("step-authorise"));
            assertThat(browser.find(By.id("authorise-msisdn")).getText()).isEqualTo(msisdn);
            Map<String, Object> prompt = prompt(msisdn);
            gateway.anonymous().body(Map.of("pin", "1234"))
                    .post("/sandbox/handsets/" + msisdn + "/prompts/" + prompt.get("reference") + "/approve")
                    .then().statusCode(200);
            // The page reloads itself every few seconds until the deposit is final.
            browser.until(Duration.ofSeconds(20), d -> {
                try {
                    return d.findElement(By.id("done-title")).getText().equals("Payment complete");
                } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                    return false; // read while the page was reloading
                }
            });
            browser.find(By.id("return-link")).click();
            assertThat(browser.waitForUrl(returnUrl())).isEqualTo(returnUrl() + "&depositId=" + depositId);
        }
        assertThat(gateway.depositStatus(depositId)).isEqualTo("COMPLETED");
        gateway.merchant().get("/deposits/" + depositId).then().statusCode(200)
                .body("[0].correspondent", org.hamcrest.Matchers.equalTo("MTN_MOMO_ZMB"))
                .body("[0].requestedAmount", org.hamcrest.Matchers.equalTo("30"));
    }
}
