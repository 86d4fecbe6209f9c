package io.kulipa.ussd;

import java.time.Duration;
import java.util.Map;

/** Calls an application's callback URL with one step of a session (a form-encoded POST). */
@FunctionalInterface
public interface ApplicationClient {

    /** What came back: an HTTP answer with its (bounded) body, or nothing and why. */
    sealed interface Reply {
        record Answered(int status, String body, boolean tooLong) implements Reply {
        }

        /** No HTTP answer: refused by the URL guard, unreachable, or too slow. */
        record NoAnswer(String reason) implements Reply {
        }
    }

    Reply post(String url, Map<String, String> form, Duration timeout, int bodyMaxChars);
}
