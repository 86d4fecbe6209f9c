package io.kulipa.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** The harness itself: a real Chromium reaches the gateway at both window sizes, takes screenshots, and Tab moves the focus. */
@BrowserTest
class BrowserHarnessTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.withDefaults();

    @Test
    void aPhoneSizedChromiumReadsTheGatewayAndTakesAScreenshot() throws Exception {
        try (Browser browser = Browser.start(Browser.PHONE)) {
            assertThat(browser.viewport()).isEqualTo(Browser.PHONE);
            browser.open(gateway.baseUrl() + "/health");
            assertThat(browser.text()).contains("\"status\"").contains("UP");
            Path shot = browser.screenshot("harness-phone");
            byte[] png = Files.readAllBytes(shot);
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void aDesktopChromiumRunsScriptsAndTheKeyboardMovesTheFocus() {
        try (Browser browser = Browser.start(Browser.DESKTOP)) {
            assertThat(browser.viewport()).isEqualTo(Browser.DESKTOP);
            browser.open("data:text/html,<title>t</title><input id=a><button id=b onclick=\"document.title='clicked'\">go</button>");
            browser.find(By.id("a")).click();
            browser.tabTo(By.id("b"), 3).sendKeys(org.openqa.selenium.Keys.ENTER);
            browser.until(d -> d.getTitle().equals("clicked"));
            assertThat(browser.title()).isEqualTo("clicked");
        }
    }
}
