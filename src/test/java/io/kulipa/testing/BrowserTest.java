package io.kulipa.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that drives a real Chromium through {@link Browser}. It runs when
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} are installed, or when the
 * environment variable {@code CI} is set (to anything but {@code false}) or the system property
 * {@code kulipa.browser} is {@code required}: in CI a missing browser is a failure, never a skip.
 * On a developer's machine without Chromium its tests are reported as not run ("skipped" in
 * Surefire's count) with the reason and the install command, so that {@code ./mvnw verify}
 * still needs only the JDK.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
@ExtendWith(BrowserTest.WhenChromiumOrCi.class)
public @interface BrowserTest {

    final class WhenChromiumOrCi implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (required()) {
                return ConditionEvaluationResult.enabled("CI: browser tests are required");
            }
            if (Browser.installed()) {
                return ConditionEvaluationResult.enabled("Chromium is installed");
            }
            String reason = "Browser test not run: " + Browser.CHROMIUM + " or "
                    + Browser.CHROMEDRIVER + " is missing (apt-get install -y chromium chromium-driver; "
                    + "with CI=true it fails instead)";
            if (!told) {
                told = true;
                System.err.println("[kulipa] " + reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }

        private static volatile boolean told;

        static boolean required() {
            String ci = System.getenv("CI");
            return (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false"))
                    || "required".equals(System.getProperty("kulipa.browser"));
        }
    }
}
