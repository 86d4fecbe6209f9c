package io.kulipa.web.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kulipa.testing.Browser;
import io.kulipa.testing.BrowserTest;
import io.kulipa.testing.GatewayExtension;
import io.kulipa.testing.MomoClient;
import io.kulipa.testing.TestGateway;
import io.kulipa.testing.TestUssdApplication;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The virtual phone in a real Chromium: every kind of prompt of the handset API answered on the
 * page from the keyboard (pawaPay deposit PIN with a wrong PIN first, a rejection, MoMo request to
 * pay, pre-approval and consent) with its payment or approval finished as the API tells it; the
 * SMS inbox and the wallet; and the dialer driving a USSD application of the tests' own through
 * the gateway, including a failing one. Jenga's account choice is in JengaPhoneBrowserTest. The
 * screenshots are the README's.
 */
@BrowserTest
class PhoneBrowserTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withSettings(Map.of("KULIPA_SANDBOX_APPROVAL", "manual",
            "KULIPA_SANDBOX_APPROVAL_WINDOW", "60s", "KULIPA_USSD_CALLBACK_TIMEOUT", "1s"));
    static TestUssdApplication app;
    static MomoClient momo;

    @BeforeAll
    static void start() {
        app = TestUssdApplication.start();
        momo = MomoClient.provision(gateway.get(), "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String phone(String msisdn) {
        return gateway.baseUrl() + "/sandbox/phone/" + msisdn;
    }

    /** The page's card of the one prompt, once it shows. */
    static WebElement promptCard(Browser browser) {
        return browser.until(Duration.ofSeconds(15), d -> {
            List<WebElement> cards = d.findElements(By.cssSelector("#prompts form.prompt"));
            return cards.size() == 1 ? cards.getFirst() : null;
        });
    }

    static void noPromptLeft(Browser browser) {
        browser.until(d -> d.findElements(By.cssSelector("#prompts form.prompt")).isEmpty()
                && d.findElement(By.id("no-prompts")).isDisplayed());
    }

    @Test
    void aDepositPinPromptIsApprovedFromTheKeyboardAfterAWrongPin() {
        String msisdn = "260763000333";
        String depositId = deposit(msisdn, "25");
        try (Browser browser = Browser.start(Browser.PHONE)) {
            browser.open(phone(msisdn));
            WebElement card = promptCard(browser);
            assertThat(card.getText()).contains("25 ZMW", "MTN_MOMO_ZMB", "Enter your PIN", "Expires in");
            browser.screenshot("virtual-phone-prompt");
            WebElement pin = browser.tabTo(By.cssSelector("#prompts input[data-name=pin]"), 15);
            pin.sendKeys("0000", Keys.ENTER);
            browser.waitForText(By.cssSelector("#prompts .error"), "Wrong PIN");
            assertThat(gateway.depositStatus(depositId)).isNotIn("COMPLETED", "FAILED");
            browser.find(By.cssSelector("#prompts input[data-name=pin]")).sendKeys("1234", Keys.ENTER);
            noPromptLeft(browser);
            await().atMost(Duration.ofSeconds(10)).until(() -> "COMPLETED".equals(gateway.depositStatus(depositId)));
            assertThat(browser.find(By.id("notice")).getText()).contains("Approved");

            // The receipt SMS arrives in the inbox, and the wallet shows what is left.
            browser.until(d -> !d.findElement(By.id("count-sms")).getText().isEmpty());
            browser.find(By.id("tab-sms")).sendKeys(Keys.ENTER);
            browser.until(d -> d.findElement(By.id("sms")).getText().contains("25"));
            assertThat(browser.find(By.id("count-sms")).getText()).isEmpty();
            browser.screenshot("virtual-phone-sms");
            browser.find(By.id("tab-wallet")).click();
            String balance = gateway.anonymous().get("/sandbox/handsets/" + msisdn).then().extract()
                    .path("wallet.balance");
            browser.until(d -> d.findElement(By.id("wallet")).getText().equals(balance + " ZMW"));
        }
    }

    @Test
    void aRejectedPromptFailsTheDeposit() {
        String msisdn = "260763000334";
        String depositId = deposit(msisdn, "30");
        try (Browser browser = Browser.start(Browser.DESKTOP)) {
            browser.open(phone(msisdn));
            promptCard(browser).findElement(By.cssSelector("button.reject")).click();
            noPromptLeft(browser);
            await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(gateway.depositStatus(depositId)));
            browser.screenshot("virtual-phone-desktop");
        }
    }

    @Test
    void moMoRequestToPayPreApprovalAndConsentAreApprovedOnThePhone() {
        String msisdn = "46733123990";
        gateway.anonymous().body(Map.of("approval", "manual")).put("/sandbox/handsets/" + msisdn + "/wallet")
                .then().statusCode(200);
        try (Browser browser = Browser.start(Browser.PHONE)) {
            browser.open(phone(msisdn));
            browser.waitFor(By.id("no-prompts"));

            String payment = UUID.randomUUID().toString();
            momo.collection().header("X-Reference-Id", payment).body(requestToPay("7", msisdn))
                    .post("/collection/v1_0/requesttopay").then().statusCode(202);
            approveOnly(browser, "7 EUR");
            await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCESSFUL".equals(momo.collection()
                    .get("/collection/v1_0/requesttopay/" + payment).then().extract().path("status")));

            String preApproval = UUID.randomUUID().toString();
            momo.collection().header("X-Reference-Id", preApproval).body(Map.of("payer", MomoClient.msisdn(msisdn),
                    "payerCurrency", "EUR", "payerMessage", "Monthly magazine", "validityTime", 3600))
                    .post("/collection/v1_0/preapproval").then().statusCode(202);
            approveOnly(browser, "Preapproval");
            await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCESSFUL".equals(momo.collection()
                    .get("/collection/v1_0/preapproval/" + preApproval).then().extract().path("status")));

            String authReqId = momo.collection().contentType(ContentType.URLENC)
                    .formParam("login_hint", "ID:" + msisdn + "/MSISDN").formParam("scope", "openid profile")
                    .formParam("access_type", "offline").post("/collection/v1_0/bc-authorize").then().statusCode(200)
                    .extract().path("auth_req_id");
            approveOnly(browser, "Consent");
            momo.keyOnly().header("Authorization", momo.basicCredentials()).header("X-Target-Environment", "sandbox")
                    .contentType(ContentType.URLENC).formParam("grant_type", "urn:openid:params:grant-type:ciba")
                    .formParam("auth_req_id", authReqId).post("/collection/oauth2/token/").then().statusCode(200);
        }
    }

    /** Waits for the one prompt, checks its title, enters the PIN with the keyboard and sees it go. */
    static void approveOnly(Browser browser, String title) {
        WebElement card = promptCard(browser);
        assertThat(card.findElement(By.cssSelector(".what")).getText()).contains(title);
        // A new prompt takes the focus, as a phone's pop-up does.
        browser.until(d -> "pin".equals(d.switchTo().activeElement().getAttribute("data-name")));
        browser.driver().switchTo().activeElement().sendKeys("1234", Keys.ENTER);
        noPromptLeft(browser);
    }

    @Test
    void theDialerRunsAUssdMenuToItsEndFromTheKeyboard() {
        String code = register(app.url("/menu"));
        String msisdn = "256770000123";
        try (Browser browser = Browser.start(Browser.PHONE)) {
            browser.open(phone(msisdn));
            browser.waitFor(By.id("no-prompts"));
            browser.tabTo(By.id("tab-dial"), 10).sendKeys(Keys.ENTER);
            WebElement dial = browser.waitFor(By.id("dial-code"));
            // The keypad types too: '*' then the rest from the keyboard.
            browser.find(By.cssSelector(".keypad .key[data-key='*']")).click();
            dial.sendKeys(code.substring(1), Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "Welcome");
            assertThat(browser.find(By.id("ussd-screen")).getText()).contains("1. Balance", "2. Send money");
            browser.screenshot("virtual-phone-ussd");
            WebElement reply = browser.driver().switchTo().activeElement();
            assertThat(reply.getAttribute("id")).isEqualTo("ussd-input");
            reply.sendKeys("2", Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "Enter number");
            browser.find(By.id("ussd-input")).sendKeys("256700000001", Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "Enter amount");
            browser.find(By.id("ussd-input")).sendKeys("1500", Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "Sent 1500 to 256700000001");
            assertThat(browser.find(By.id("ussd-form")).isDisplayed()).isFalse();
            browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
            browser.until(d -> !d.findElement(By.id("ussd")).isDisplayed());
            browser.waitForText(By.id("ussd-history"), "Ended");
            assertThat(app.received().stream().filter(f -> f.get("phoneNumber").equals("+" + msisdn))
                    .map(f -> f.get("text")).toList()).containsExactly("", "2", "2*256700000001",
                    "2*256700000001*1500");

            // Escape hangs up an open session.
            browser.find(By.id("dial-code")).clear();
            browser.find(By.id("dial-code")).sendKeys(code, Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "Welcome");
            browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
            browser.until(d -> !d.findElement(By.id("ussd")).isDisplayed());
            browser.waitForText(By.id("ussd-history"), "Hung up");

            // An application that answers garbage shows the phone's error and the reason.
            String broken = register(app.url("/garbage"));
            browser.find(By.id("dial-code")).clear();
            browser.find(By.id("dial-code")).sendKeys(broken, Keys.ENTER);
            browser.waitForText(By.id("ussd-screen"), "Connection problem");
            assertThat(browser.find(By.id("ussd-error")).getText()).contains("neither 'CON ' nor 'END '");
            browser.find(By.id("ussd-ok")).click();
            // A code nobody registered is said so at once.
            browser.find(By.id("dial-code")).clear();
            browser.find(By.id("dial-code")).sendKeys("*999*999999#", Keys.ENTER);
            browser.waitForText(By.id("dial-error"), "no USSD application");
        }
    }

    @Test
    void theChooserOpensAPhoneAndABadNumberIsSaidSo() {
        try (Browser browser = Browser.start(Browser.PHONE)) {
            browser.open(gateway.baseUrl() + "/sandbox/phone");
            browser.waitFor(By.id("msisdn")).sendKeys("+256 770 000 124", Keys.ENTER);
            browser.waitForUrl(gateway.baseUrl() + "/sandbox/phone/256770000124");
            browser.waitForText(By.id("number"), "+256770000124");
            browser.open(gateway.baseUrl() + "/sandbox/phone?msisdn=07700");
            browser.waitForText(By.id("msisdn-error"), "Digits only");
        }
    }

    static String deposit(String msisdn, String amount) {
        Map<String, Object> body = TestGateway.deposit("MTN_MOMO_ZMB", "ZMW", msisdn, amount);
        gateway.postDeposit(body).then().statusCode(200);
        return (String) body.get("depositId");
    }

    static Map<String, Object> requestToPay(String amount, String msisdn) {
        Map<String, Object> body = new HashMap<>();
        body.put("amount", amount);
        body.put("currency", "EUR");
        body.put("externalId", "6353636");
        body.put("payer", MomoClient.msisdn(msisdn));
        body.put("payerMessage", "Pay for product a");
        body.put("payeeNote", "payer note");
        return body;
    }

    static String register(String url) {
        String code = "*" + ThreadLocalRandom.current().nextInt(100, 999) + "*"
                + ThreadLocalRandom.current().nextInt(100_000, 999_999) + "#";
        gateway.get().as(TestGateway.ADMIN_TOKEN).body(Map.of("serviceCode", code, "callbackUrl", url))
                .post("/ops/ussd/applications").then().statusCode(201);
        return code;
    }
}
