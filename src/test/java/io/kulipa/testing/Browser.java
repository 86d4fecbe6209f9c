package io.kulipa.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for the browser tests: Debian's {@code /usr/bin/chromium} driven by
 * {@code /usr/bin/chromedriver} through Selenium, with a fresh profile directory that is deleted
 * on {@link #close()}. Nothing is downloaded: both paths are given to Selenium, so its driver
 * manager never runs. Install them with {@code apt-get install -y chromium chromium-driver}
 * ({@code .ci/run} does).
 *
 * <p>A test class annotated {@link BrowserTest} runs where both programs are present, or where
 * {@code CI} is set (then a missing browser fails the test with the message of
 * {@link #requireInstalled()}); elsewhere its tests are reported as not run, with the reason.
 *
 * <pre>{@code
 * try (Browser browser = Browser.start(Browser.PHONE)) {
 *     browser.open(gateway.baseUrl() + "/pay/" + session);
 *     browser.waitFor(By.id("msisdn")).sendKeys("260763456789");
 *     browser.screenshot("payment-page-phone");
 * }
 * }</pre>
 *
 * <p>Screenshots go to {@code target/screenshots/NAME.png}; when the system property
 * {@code kulipa.screenshots} (or the environment variable {@code KULIPA_SCREENSHOTS}) names a
 * directory, such as {@code docs/screenshots}, they are copied there too.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("kulipa.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("kulipa.chromedriver", "/usr/bin/chromedriver"));

    /** A phone-sized window, in CSS pixels (an iPhone 12–15's viewport width). */
    public static final Dimension PHONE = new Dimension(390, 844);
    /** A desktop window, in CSS pixels. */
    public static final Dimension DESKTOP = new Dimension(1280, 900);

    /** How long {@link #waitFor} and the other waits wait by default. */
    public static final Duration WAIT = Duration.ofSeconds(15);
    /** How long a page load may take before the driver gives up. */
    public static final Duration PAGE_LOAD = Duration.ofSeconds(30);

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** True when both Chromium and its driver are installed where {@link #start} looks. */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Fails with what to install when Chromium or its driver is missing. */
    public static void requireInstalled() {
        if (!installed()) {
            throw new IllegalStateException("Browser tests need Debian's Chromium and its driver: " + CHROMIUM
                    + (Files.isExecutable(CHROMIUM) ? " is there, " : " is missing, ") + CHROMEDRIVER
                    + (Files.isExecutable(CHROMEDRIVER) ? " is there" : " is missing")
                    + ". Install them with: apt-get update && apt-get install -y chromium chromium-driver");
        }
    }

    /** A new headless Chromium with a window of the given size and an empty profile. */
    public static Browser start(Dimension window) {
        return start(window, true);
    }

    /**
     * A new headless Chromium whose pages run no script (the content setting a user sets to block
     * JavaScript), for pages that must work without theirs. The driver's own script calls still work.
     */
    public static Browser startWithoutJavaScript(Dimension window) {
        return start(window, false);
    }

    private static Browser start(Dimension window, boolean javascript) {
        requireInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("kulipa-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=" + window.getWidth() + "," + window.getHeight());
        if (!javascript) {
            options.setExperimentalOption("prefs", java.util.Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD);
            Browser browser = new Browser(driver, service, profile);
            browser.resize(window);
            return browser;
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(profile);
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Sets the page's viewport (not the outer window) to the given size in CSS pixels. */
    public Browser resize(Dimension viewport) {
        driver.manage().window().setSize(viewport);
        // The outer window has borders and a bar in some modes: grow it by the difference.
        long width = ((Number) script("return window.innerWidth")).longValue();
        long height = ((Number) script("return window.innerHeight")).longValue();
        int dw = viewport.getWidth() - (int) width;
        int dh = viewport.getHeight() - (int) height;
        if (dw != 0 || dh != 0) {
            driver.manage().window().setSize(new Dimension(viewport.getWidth() + dw, viewport.getHeight() + dh));
        }
        return this;
    }

    /** The viewport's size in CSS pixels, as the page sees it. */
    public Dimension viewport() {
        return new Dimension(((Number) script("return window.innerWidth")).intValue(),
                ((Number) script("return window.innerHeight")).intValue());
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public String title() {
        return driver.getTitle();
    }

    /** The text of the whole page as a user sees it. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    /** The element once it is visible, failing after {@link #WAIT}. */
    public WebElement waitFor(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the element's visible text contains the given text. */
    public WebElement waitForText(By by, String text) {
        until(ExpectedConditions.textToBePresentInElementLocated(by, text));
        return driver.findElement(by);
    }

    /** Waits until the page's URL starts with the given prefix. */
    public String waitForUrl(String prefix) {
        until(d -> d.getCurrentUrl().startsWith(prefix));
        return driver.getCurrentUrl();
    }

    /** Waits up to {@link #WAIT} for the condition to hold (a non-null, non-false value). */
    public <T> T until(Function<? super WebDriver, T> condition) {
        return until(WAIT, condition);
    }

    /**
     * An element that went stale while the condition read it (the page was replaced between the
     * find and the read, as after a form post or a search) means "not yet": the next poll finds the
     * new page's element.
     */
    public <T> T until(Duration timeout, Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    /**
     * Presses Tab until the element has the focus (at most {@code limit} times): proof that a
     * keyboard reaches it. Fails when it never does.
     */
    public WebElement tabTo(By by, int limit) {
        WebElement target = driver.findElement(by);
        for (int i = 0; i < limit; i++) {
            if (target.equals(driver.switchTo().activeElement())) {
                return target;
            }
            driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
        }
        if (target.equals(driver.switchTo().activeElement())) {
            return target;
        }
        throw new AssertionError("Tab did not reach " + by + " in " + limit + " presses");
    }

    /** Opens a new tab on the URL and switches to it; returns the previous tab's handle. */
    public String openTab(String url) {
        String previous = driver.getWindowHandle();
        driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        driver.get(url);
        return previous;
    }

    /** Switches to the tab or window with the given handle. */
    public Browser switchTo(String handle) {
        driver.switchTo().window(handle);
        return this;
    }

    /**
     * Saves a screenshot of the viewport as {@code target/screenshots/NAME.png} (and in the
     * directory named by {@code kulipa.screenshots} / {@code KULIPA_SCREENSHOTS}, when set).
     */
    public Path screenshot(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a screenshot's name is a file name: " + name);
        }
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, png);
            String extra = System.getProperty("kulipa.screenshots", System.getenv("KULIPA_SCREENSHOTS"));
            if (extra != null && !extra.isBlank()) {
                Path dir = Path.of(extra);
                Files.createDirectories(dir);
                Files.copy(file, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The screenshot as PNG bytes, without saving it. */
    public byte[] screenshotBytes() {
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a profile left in /tmp is harmless
        }
    }
}
