package io.kulipa.dialects.jenga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.providers.simulator.SimAccount;
import io.kulipa.testing.Browser;
import io.kulipa.testing.BrowserTest;
import io.kulipa.testing.CallbackReceiver;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Jenga's STK push on the virtual phone in a real Chromium: the prompt offers the customer's
 * accounts, the customer picks one with the keyboard and enters the PIN, and exactly that account
 * is debited — the page sends the field the approve endpoint reads.
 */
@BrowserTest
@SuppressWarnings("unchecked")
class JengaPhoneBrowserTest {

    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.answeringOk();
    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.withSettings(() -> {
        Map<String, String> settings = new java.util.HashMap<>(JengaClient.SETTINGS);
        // Long enough for a browser to start and a person's pace; the test answers well before.
        settings.put("KULIPA_SANDBOX_APPROVAL_WINDOW", "60s");
        return settings;
    });
    static JengaClient client;

    @BeforeAll
    static void start() {
        client = new JengaClient(gateway.get());
    }

    @Test
    void theCustomerChoosesTheAccountToPayFromOnThePhone() {
        String msisdn = "254766100091";
        gateway.anonymous().body(Map.of("approval", "manual", "balance", "1000"))
                .put("/sandbox/handsets/" + msisdn + "/wallet").then().statusCode(200);
        String ref = JengaClient.ref();
        Map<String, Object> body = JengaClient.body(ref, msisdn, "700", CallbackReceiver.url(receiver, "/" + ref));
        ((Map<String, Object>) body.get("payment")).put("pushType", "STK");
        client.push(body).then().statusCode(200).body("code", equalTo(-1));
        try (Browser browser = Browser.start(Browser.PHONE)) {
            browser.open(gateway.baseUrl() + "/sandbox/phone/" + msisdn);
            WebElement card = browser.until(Duration.ofSeconds(15), d -> {
                List<WebElement> cards = d.findElements(By.cssSelector("#prompts form.prompt"));
                return cards.size() == 1 ? cards.getFirst() : null;
            });
            assertThat(card.getText()).contains("Pay from", "Primary account", "Equity Savings", "Equity Current");
            // The first account is chosen; the arrow key moves the choice to the next, as radio buttons do.
            WebElement first = card.findElement(By.cssSelector("input[type=radio][value=primary]"));
            assertThat(first.isSelected()).isTrue();
            first.sendKeys(Keys.ARROW_DOWN);
            List<Map<String, Object>> offered = gateway.anonymous().get("/sandbox/handsets/" + msisdn + "/prompts")
                    .then().extract().jsonPath().getList("[0].accounts");
            String second = (String) offered.get(1).get("number");
            assertThat(offered.get(1).get("name")).isEqualTo("Equity Savings");
            WebElement savings = card.findElement(By.cssSelector("input[type=radio][value='" + second + "']"));
            browser.until(d -> savings.isSelected());
            browser.screenshot("virtual-phone-accounts");
            browser.tabTo(By.cssSelector("#prompts input[data-name=pin]"), 10).sendKeys("1234", Keys.ENTER);
            browser.until(d -> d.findElements(By.cssSelector("#prompts form.prompt")).isEmpty());
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status(ref).jsonPath().getInt("code") == 3);
            BigDecimal before = new BigDecimal((String) offered.get(1).get("balance"));
            assertThat(account(msisdn, second)).isEqualByComparingTo(before.subtract(new BigDecimal("700")));
            assertThat(gateway.kulipa().simulator().wallet(msisdn).orElseThrow().balance())
                    .isEqualByComparingTo("1000");
            browser.find(By.id("tab-wallet")).click();
            browser.waitForText(By.id("accounts"), before.subtract(new BigDecimal("700")).toPlainString() + " KES");
        }
    }

    static BigDecimal account(String msisdn, String number) {
        return gateway.kulipa().simulator().accounts(msisdn).stream().filter(a -> a.number().equals(number))
                .map(SimAccount::balance).findFirst().orElseThrow();
    }
}
