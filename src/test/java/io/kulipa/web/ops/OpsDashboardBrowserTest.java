package io.kulipa.web.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kulipa.testing.Browser;
import io.kulipa.testing.BrowserTest;
import io.kulipa.testing.CallbackReceiverExtension;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The ops dashboard in a real Chromium: logging in with the admin token (never in a URL), the
 * payments of every dialect with filters, one payment's timeline, postings and callback attempts,
 * replaying a failed webhook, the availability switches, the wallets and the ledger check, and a
 * merchant whose new API token is shown once and then only masked.
 */
@BrowserTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsDashboardBrowserTest {

    @RegisterExtension
    @Order(1)
    static final CallbackReceiverExtension receiver = CallbackReceiverExtension.stubbedByEachTest();
    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = GatewayExtension.withSettings(() -> Map.of(
            "KULIPA_BOOTSTRAP_CALLBACK_URL", "http://127.0.0.1:" + receiver.port() + "/callbacks",
            "KULIPA_CALLBACK_FIRST_RETRY", "200ms",
            "KULIPA_CALLBACK_RETRY_WINDOW", "1s"));

    static void login(Browser browser) {
        browser.open(gateway.baseUrl() + "/ops");
        browser.waitFor(By.id("token"));
        assertThat(browser.url()).isEqualTo(gateway.baseUrl() + "/ops/login");
        browser.find(By.id("token")).sendKeys("not the token");
        browser.find(By.id("login")).click();
        assertThat(browser.waitFor(By.id("login-error")).getText()).contains("not the admin token");
        browser.find(By.id("token")).sendKeys(TestGateway.ADMIN_TOKEN + org.openqa.selenium.Keys.ENTER);
        browser.waitFor(By.id("payments"));
        assertThat(browser.url()).isEqualTo(gateway.baseUrl() + "/ops/payments").doesNotContain(TestGateway.ADMIN_TOKEN);
        org.openqa.selenium.Cookie cookie = browser.driver().manage().getCookieNamed("kulipa_ops");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getValue()).doesNotContain(TestGateway.ADMIN_TOKEN);
    }

    static String deposit(String msisdn, String amount) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", msisdn, amount);
        gateway.postDeposit(body).then().body("status", equalTo("ACCEPTED"));
        return (String) body.get("depositId");
    }

    @Test
    @Order(1)
    void aFailedWebhookIsFoundThroughTheFiltersAndReplayedFromItsPage() {
        receiver.stubFor(post("/callbacks").willReturn(aResponse().withStatus(500)));
        String failing = deposit("260763000901", "15");
        String other = deposit("260763456029", "11");
        await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(webhookJob(failing)));

        try (Browser browser = Browser.start(Browser.DESKTOP)) {
            login(browser);
            assertThat(browser.find(By.id("payments")).getText()).contains(failing, other);
            new Select(browser.find(By.id("f-dialect"))).selectByValue("pawapay");
            new Select(browser.find(By.id("f-state"))).selectByValue("FAILED");
            browser.find(By.id("search")).click();
            browser.until(d -> d.getCurrentUrl().contains("state=FAILED"));
            String failedOnly = browser.find(By.id("payments")).getText();
            assertThat(failedOnly).contains(other).doesNotContain(failing);
            browser.screenshot("ops-payments");

            browser.find(By.id("f-id")).clear();
            new Select(browser.find(By.id("f-state"))).selectByValue("");
            browser.find(By.id("f-id")).sendKeys(failing);
            browser.find(By.id("search")).click();
            browser.until(d -> d.findElements(By.cssSelector("#payments tbody tr")).size() == 1
                    && d.findElement(By.id("payments")).getText().contains(failing));
            browser.find(By.linkText(failing)).click();

            browser.waitFor(By.id("timeline"));
            assertThat(browser.find(By.id("timeline")).getText()).contains("ACCEPTED", "SUBMITTED", "COMPLETED");
            assertThat(browser.find(By.id("postings")).getText()).contains("15 ZMW");
            assertThat(browser.find(By.id("attempts")).getText()).contains("500");
            receiver.resetAll();
            receiver.stubFor(post("/callbacks").willReturn(aResponse().withStatus(200)));
            browser.find(By.id("replay")).click();
            assertThat(browser.waitFor(By.id("replay-notice")).getText()).contains("queued again");
            await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(webhookJob(failing)));
            browser.driver().navigate().refresh();
            browser.until(d -> d.findElement(By.id("attempts")).getText().contains("200"));
            browser.script("document.getElementById('postings').scrollIntoView()");
            browser.screenshot("ops-payment");
            // Delivered now: a second replay is refused, and says why.
            browser.find(By.id("replay")).click();
            assertThat(browser.waitForText(By.id("replay-notice"), "already been delivered").getText())
                    .contains("already been delivered");
        }
    }

    static String webhookJob(String depositId) {
        List<String> states = gateway.jdbi().withHandle(h -> h.createQuery("""
                        SELECT o.state FROM outbox o JOIN payment p ON p.id = o.payment_id
                        WHERE p.client_ref = :r AND o.kind = 'WEBHOOK' ORDER BY o.id DESC LIMIT 1""")
                .bind("r", depositId).mapTo(String.class).list());
        return states.isEmpty() ? null : states.getFirst();
    }

    @Test
    @Order(2)
    void theAvailabilitySwitchesChangeWhatTheApiAnswers() {
        receiver.stubFor(post("/callbacks").willReturn(aResponse().withStatus(200)));
        try (Browser browser = Browser.start(Browser.DESKTOP)) {
            login(browser);
            browser.open(gateway.baseUrl() + "/ops/availability");
            new Select(browser.waitFor(By.id("set-ZAMTEL_ZMB-DEPOSIT"))).selectByValue("CLOSED");
            browser.find(By.id("apply-ZAMTEL_ZMB-DEPOSIT")).click();
            // The apply button posts the form and the page comes back with the notice: waiting for the
            // text, not the element, rides over the old page's notice going stale under the reload.
            assertThat(browser.waitForText(By.id("availability-notice"), "ZAMTEL_ZMB DEPOSIT is now CLOSED").getText())
                    .contains("ZAMTEL_ZMB DEPOSIT is now CLOSED");
            assertThat(deposits("ZAMTEL_ZMB")).isEqualTo("CLOSED");
            browser.script("document.getElementById('set-ZAMTEL_ZMB-DEPOSIT').scrollIntoView({block: 'center'})");
            browser.screenshot("ops-availability");
            new Select(browser.find(By.id("set-ZAMTEL_ZMB-DEPOSIT"))).selectByValue("AUTO");
            browser.find(By.id("apply-ZAMTEL_ZMB-DEPOSIT")).click();
            assertThat(browser.waitForText(By.id("availability-notice"), "OPERATIONAL").getText()).contains("OPERATIONAL");
            assertThat(deposits("ZAMTEL_ZMB")).isEqualTo("OPERATIONAL");
        }
    }

    static String deposits(String correspondent) {
        return gateway.anonymous().get("/availability").then().statusCode(200).extract().jsonPath()
                .getString("correspondents.flatten().find { it.correspondent == '" + correspondent
                        + "' }.operationTypes.find { it.operationType == 'DEPOSIT' }.status");
    }

    @Test
    @Order(3)
    void walletsShowAndTheLedgerChecksSoundOnAPhoneSizedScreen() {
        try (Browser browser = Browser.start(Browser.PHONE)) {
            login(browser);
            browser.open(gateway.baseUrl() + "/ops/wallets");
            assertThat(browser.waitFor(By.id("wallets")).getText()).contains("Demo Merchant", "ZMB");
            browser.find(By.id("check-ledger")).click();
            assertThat(browser.waitFor(By.id("invariants")).getText()).contains("The ledger is sound");
            browser.screenshot("ops-wallets-phone");
        }
    }

    @Test
    @Order(4)
    void aNewMerchantsTokenIsShownOnceThenMaskedAndARotationReplacesIt() {
        String name = "Shop " + UUID.randomUUID().toString().substring(0, 8);
        try (Browser browser = Browser.start(Browser.DESKTOP)) {
            login(browser);
            browser.open(gateway.baseUrl() + "/ops/merchants");
            browser.waitFor(By.id("f-name")).sendKeys(name);
            browser.find(By.id("f-deposit")).sendKeys("http://127.0.0.1:" + receiver.port() + "/shop");
            browser.find(By.id("create-merchant")).click();
            String token = browser.waitFor(By.id("secret")).getText();
            assertThat(token).startsWith("kulipa_");
            gateway.as(token).get("/active-conf").then().statusCode(200).body("merchantName", equalTo(name));
            browser.screenshot("ops-merchants");

            browser.open(gateway.baseUrl() + "/ops/merchants");
            WebElement row = browser.waitFor(By.xpath("//table[@id='merchants']//tr[td[1][text()='" + name + "']]"));
            assertThat(row.getText()).contains("••••••••").doesNotContain(token);
            assertThat(browser.driver().getPageSource()).doesNotContain(token);

            row.findElement(By.tagName("button")).click();
            String rotated = browser.waitFor(By.id("secret")).getText();
            assertThat(rotated).startsWith("kulipa_").isNotEqualTo(token);
            gateway.as(token).get("/active-conf").then().statusCode(401);
            gateway.as(rotated).get("/active-conf").then().statusCode(200);

            browser.find(By.id("logout")).click();
            browser.waitFor(By.id("token"));
            browser.open(gateway.baseUrl() + "/ops/payments");
            browser.waitFor(By.id("token"));
        }
    }
}
