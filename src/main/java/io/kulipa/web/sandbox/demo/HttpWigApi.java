package io.kulipa.web.sandbox.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WIG API over HTTP, as an outside merchant's USSD application calls it: Scan to Pay's public
 * endpoints under {@code /pluto} of a gateway (this one, on loopback), authenticated with a
 * profile's Basic credentials. Every refusal and every failure to answer becomes a
 * {@link WigApi.WigFailure} whose message is fit for the customer's screen; the credentials are
 * sent in the {@code Authorization} header only and never logged.
 */
final class HttpWigApi implements WigApi {

    private static final Logger LOG = LoggerFactory.getLogger(HttpWigApi.class);
    /** How long connecting to the WIG API may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /**
     * How long one call may take. A step of the menu makes at most two calls (the cards, then the
     * purchase), which stays within the gateway's default 10 s wait for an application's answer.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    /** The most of an answer that is read; the WIG API's answers are a few hundred bytes. */
    static final int BODY_MAX_BYTES = 64 * 1024;
    /** The customer's screen when the WIG API did not answer in time or could not be reached. */
    static final String NO_ANSWER = "Scan to Pay did not answer. If a PIN prompt comes, the payment is on its way; "
            + "otherwise try again later.";

    /** The customer's screen when the WIG API answered something that is not its JSON. */
    static final String UNREADABLE = "Scan to Pay's answer could not be read. Try again later.";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final URI base;
    private final String authorization;
    private final HttpClient http;

    /**
     * @param base     the WIG API's base, such as {@code http://127.0.0.1:8080/pluto}
     * @param username the merchant's Scan to Pay username (Basic profile)
     * @param password its password
     */
    HttpWigApi(URI base, String username, String password) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public List<LinkedCard> cards(String msisdn) throws WigFailure {
        JsonNode answer = call("GET", "purchase/network/cards?msisdn=" + URLEncoder.encode(msisdn, StandardCharsets.UTF_8),
                null);
        List<LinkedCard> cards = new ArrayList<>();
        for (JsonNode c : answer.path("cards")) {
            String id = c.path("cardId").asText("");
            if (!id.isEmpty()) {
                cards.add(new LinkedCard(id, label(c)));
            }
        }
        return cards;
    }

    @Override
    public Outcome payCode(String msisdn, String code, String cardId) throws WigFailure {
        ObjectNode body = JSON.createObjectNode().put("msisdn", msisdn).put("code", code).put("cardId", cardId);
        JsonNode answer = call("POST", "purchase/network/code", body);
        return new Outcome(true, rand(answer.path("amount")) + " to pay with " + shortLabel(answer.path("card"))
                + " (ref " + answer.path("transactionId").asText() + "). Enter your card PIN on the prompt that follows.");
    }

    @Override
    public Outcome buyAirtime(String msisdn, String amount, String cardId, String reference) throws WigFailure {
        BigDecimal value = new BigDecimal(amount);
        ObjectNode body = JSON.createObjectNode().put("msisdn", msisdn).put("amount", value)
                .put("merchantReference", reference).put("cardId", cardId);
        body.putArray("cartItems").addObject().put("description", "R" + amount + " airtime").put("quantity", "1")
                .put("value", value).put("destination", msisdn).put("itemType", "AIRTIME");
        JsonNode answer = call("POST", "purchase/network", body);
        return new Outcome(true, rand(answer.path("amount")) + " airtime for " + msisdn + " with "
                + shortLabel(answer.path("card")) + " (ref " + answer.path("transactionId").asText()
                + "). Enter your card PIN on the prompt that follows.");
    }

    @Override
    public Outcome balance(String msisdn, String cardId) throws WigFailure {
        JsonNode answer = call("POST", "purchase/network/balance",
                JSON.createObjectNode().put("msisdn", msisdn).put("cardId", cardId));
        JsonNode card = answer.path("cards").path(0);
        JsonNode available = card.has("availableBalance") ? card.path("availableBalance") : answer.path("availableBalance");
        StringBuilder s = new StringBuilder(label(card)).append("\nAvailable: ").append(rand(available));
        if (card.has("balance")) {
            s.append("\nBalance: ").append(rand(card.path("balance")));
        }
        return new Outcome(true, s.toString());
    }

    /** One call; the answer's JSON on 200, otherwise the failure with the customer's words. */
    private JsonNode call(String method, String path, JsonNode body) throws WigFailure {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization).header("Accept", "application/json");
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpResponse<InputStream> response;
        byte[] bytes;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(BODY_MAX_BYTES);
            }
        } catch (HttpTimeoutException e) {
            LOG.warn("demo USSD application: {} {} had no answer within {} ms", method, uri.getPath(),
                    REQUEST_TIMEOUT.toMillis());
            throw new WigFailure(NO_ANSWER);
        } catch (IOException e) {
            LOG.warn("demo USSD application: {} {} failed: {}", method, uri.getPath(), e.getClass().getSimpleName());
            throw new WigFailure(NO_ANSWER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WigFailure(NO_ANSWER);
        }
        JsonNode answer;
        try {
            answer = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            // A refusal without its JSON body is still said by its status.
            answer = response.statusCode() == 200 ? null : JSON.createObjectNode();
        }
        if (answer == null || (response.statusCode() == 200 && !answer.isObject())) {
            LOG.warn("demo USSD application: {} {} answered {} with a body that is not a JSON object", method,
                    uri.getPath(), response.statusCode());
            throw new WigFailure(UNREADABLE);
        }
        if (response.statusCode() == 200) {
            return answer;
        }
        String name = answer.path("name").asText("");
        LOG.info("demo USSD application: {} {} answered {} {}", method, uri.getPath(), response.statusCode(), name);
        throw new WigFailure(refusal(response.statusCode(), answer.path("message").asText("")));
    }

    /** The customer's words for a refusal of the WIG API; the status is kept for the developer. */
    static String refusal(int status, String message) {
        String words = switch (status) {
            case 401, 403 -> "The demo merchant's Scan to Pay credentials were refused.";
            case 404 -> "No such card is linked to this number.";
            case 406 -> "This code was paid already or has expired.";
            case 431 -> "No such code. Check it and dial again.";
            case 432 -> "That amount cannot be paid: " + detail(message);
            case 433 -> "Your network cannot pay by card here.";
            case 434 -> "Your account is suspended.";
            case 465 -> "Your number was not sent.";
            case 468, 469 -> "This card cannot pay by USSD (expired, or its bank does not allow it).";
            case 500, 502, 503, 504 -> "Scan to Pay cannot take payments now. Try again later.";
            default -> detail(message);
        };
        return words + " (" + status + ")";
    }

    /** A refusal's message without the field name it starts with, as a sentence. */
    private static String detail(String message) {
        String m = message == null ? "" : message.replaceFirst("^[A-Za-z0-9_.\\[\\], ]+: ", "").trim();
        if (m.isEmpty()) {
            return "Scan to Pay refused it.";
        }
        return Character.toUpperCase(m.charAt(0)) + m.substring(1) + (m.endsWith(".") ? "" : ".");
    }

    /** {@code ****0002 Kulipa Test Bank}: the last four digits, then the bank when it is known. */
    static String label(JsonNode card) {
        String bank = card.path("bank").asText("");
        return shortLabel(card) + (bank.isBlank() ? "" : " " + bank);
    }

    private static String shortLabel(JsonNode card) {
        String last4 = card.path("last4").asText("");
        if (last4.isEmpty()) {
            String masked = card.path("maskedPan").asText("");
            last4 = masked.length() >= 4 ? masked.substring(masked.length() - 4) : "????";
        }
        return "****" + last4;
    }

    /** R with two decimals, from the exact number of the answer. */
    private static String rand(JsonNode amount) {
        if (!amount.isNumber() && !amount.isTextual()) {
            return "R?";
        }
        try {
            BigDecimal value = new BigDecimal(amount.asText()).setScale(2, RoundingMode.UNNECESSARY);
            return (value.signum() < 0 ? "-R" : "R") + value.abs().toPlainString();
        } catch (ArithmeticException | NumberFormatException e) {
            return "R" + amount.asText();
        }
    }

    /** What the WIG API is called with, for the banner and the logs (no credentials). */
    @Override
    public String toString() {
        return "WIG API at " + base + " (Basic)";
    }
}
