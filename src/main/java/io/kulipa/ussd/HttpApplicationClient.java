package io.kulipa.ussd;

import io.kulipa.callbacks.CallbackSender;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Calls applications over HTTP through the callbacks' sender: the same URL guard and address pinning. */
public final class HttpApplicationClient implements ApplicationClient {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final CallbackSender sender;

    public HttpApplicationClient(CallbackSender sender) {
        this.sender = sender;
    }

    @Override
    public Reply post(String url, Map<String, String> form, Duration timeout, int bodyMaxChars) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        CallbackSender.Exchange e = sender.exchange(url, FORM, body.toString().getBytes(StandardCharsets.UTF_8),
                timeout, bodyMaxChars);
        if (e.httpStatus() == null) {
            String reason = e.error() != null && e.error().startsWith(HttpTimeoutException.class.getSimpleName())
                    ? "no answer within " + timeout.toMillis() + " ms" : e.error();
            return new Reply.NoAnswer(reason);
        }
        return new Reply.Answered(e.httpStatus(), e.body(), e.tooLong());
    }
}
