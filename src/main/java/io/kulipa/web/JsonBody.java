package io.kulipa.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one reader of JSON request bodies, for every dialect and tool. It refuses what a
 * provider or PostgreSQL would choke on later, before anything is written: bytes that are not
 * UTF-8, a body above {@link #MAX_BODY_BYTES}, nesting deeper than {@link #MAX_NESTING_DEPTH},
 * a key given twice, text after the value, a number that is not finite as a double or longer
 * than {@link #MAX_NUMBER_CHARS}, and a NUL or a lone surrogate in any string or key. Each
 * refusal is a message naming the field, for the caller to answer in its dialect's words.
 *
 * <p>Numbers with a fraction or an exponent are kept as exact decimals that remember their wire
 * text ({@link WireNumber}), so an amount is read as it was written and never through a double.
 */
public final class JsonBody {

    public static final int MAX_BODY_BYTES = (int) HttpServer.MAX_REQUEST_BYTES;
    /**
     * A body declared above {@link #MAX_BODY_BYTES} but at most this long is read and dropped
     * before the refusal, so that the client gets the answer; a longer one is refused unread and
     * its connection closed.
     */
    public static final long DRAIN_MAX_BYTES = 4L * 1024 * 1024;
    public static final int MAX_NESTING_DEPTH = 32;
    public static final int MAX_NUMBER_CHARS = 64;
    private static final String CACHE_ATTRIBUTE = "kulipa.jsonBody";
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // A backstop only: the walk below stops at MAX_NESTING_DEPTH with a message naming the field.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH + 1)
                    .maxNumberLength(MAX_NUMBER_CHARS + 1).build())
            .build();

    private JsonBody() {
    }

    /**
     * A parsed body (node), no body at all (neither), or why it was refused (problem, naming
     * the field as {@code a.b[2].c}, or {@code body} / {@code Content-Type} for the whole).
     */
    public record Read(JsonNode node, String problem) {
        public boolean refused() {
            return problem != null;
        }

        public boolean absent() {
            return node == null && problem == null;
        }
    }

    /** A JSON number with a fraction or an exponent, exact, that answers its wire text as {@link #asText()}. */
    public static final class WireNumber extends DecimalNode {
        private final String text;

        WireNumber(BigDecimal value, String text) {
            super(value);
            this.text = text;
        }

        @Override
        public String asText() {
            return text;
        }
    }

    /**
     * Reads the request's body once (later calls answer the same). With {@code jsonRequired},
     * a body whose Content-Type is not {@code application/json} (or {@code +json}) is refused.
     */
    public static Read read(Context ctx, boolean jsonRequired) {
        Read cached = ctx.attribute(CACHE_ATTRIBUTE);
        if (cached == null) {
            cached = readUncached(ctx, jsonRequired);
            ctx.attribute(CACHE_ATTRIBUTE, cached);
        }
        return cached;
    }

    private static Read readUncached(Context ctx, boolean jsonRequired) {
        byte[] bytes;
        try {
            bytes = boundedBytes(ctx);
        } catch (IOException | RuntimeException e) {
            return new Read(null, "body: could not be read");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            return new Read(null, "body: larger than " + MAX_BODY_BYTES / 1024 + " KiB");
        }
        if (bytes.length == 0) {
            return new Read(null, null);
        }
        if (jsonRequired) {
            String refusal = contentTypeRefusal(ctx.header("Content-Type"));
            if (refusal != null) {
                return new Read(null, refusal);
            }
        }
        return read(bytes);
    }

    /**
     * The body, or at most one byte more than the limit: a declared length is trusted only to
     * refuse early, and a chunked body (no length) is read up to the limit and no further.
     */
    private static byte[] boundedBytes(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            if (declared <= DRAIN_MAX_BYTES) {
                discard(ctx.req().getInputStream(), declared);
            }
            return new byte[MAX_BODY_BYTES + 1];
        }
        if (declared >= 0) {
            // Javalin keeps these bytes, so anything else reading the body sees the same ones.
            return ctx.bodyAsBytes();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            return in.readNBytes(MAX_BODY_BYTES + 1);
        }
    }

    /**
     * Reads and drops a refused body the client is still sending. Closing the connection with
     * its bytes unread makes the kernel reset it, and the reset can reach the client before it
     * reads the answer: the client then sees a closed connection instead of the dialect's error.
     */
    private static void discard(InputStream in, long length) {
        try {
            in.skipNBytes(length);
        } catch (IOException e) {
            // The body ended early or the client went away: nothing is left to read.
        }
    }

    /** Null when the media type is JSON; a charset other than UTF-8 is refused too. */
    static String contentTypeRefusal(String header) {
        String value = header == null ? "" : header.trim().toLowerCase(Locale.ROOT);
        String[] parts = value.split(";");
        String media = parts[0].trim();
        boolean json = media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
        for (int i = 1; json && i < parts.length; i++) {
            String parameter = parts[i].trim().replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                return "Content-Type: the charset must be UTF-8";
            }
        }
        return json ? null : "Content-Type: must be application/json"
                + (media.isEmpty() ? " (none was given)" : ", not " + (media.length() > 64 ? "what was given" : media));
    }

    /** Parses bytes that must be UTF-8 JSON; empty bytes are refused (callers check absence first). */
    public static Read read(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new Read(null, "body: is not UTF-8 text");
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new Read(null, "body: is empty, a JSON value is required");
            }
            JsonNode node = value(parser, first, "", 1);
            if (parser.nextToken() != null) {
                return new Read(null, "body: has text after the JSON value");
            }
            return new Read(node, null);
        } catch (Refused r) {
            return new Read(null, r.getMessage());
        } catch (StreamConstraintsException e) {
            return new Read(null, "body: a number longer than " + MAX_NUMBER_CHARS + " characters or nesting deeper "
                    + "than " + MAX_NESTING_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            // The parser's own message quotes the input; only the position is repeated.
            var at = e.getLocation();
            return new Read(null, "body: is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            return new Read(null, "body: could not be read");
        }
    }

    private static JsonNode value(JsonParser p, JsonToken token, String path, int depth) throws IOException {
        if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth > MAX_NESTING_DEPTH) {
            throw new Refused(name(path) + ": nested deeper than " + MAX_NESTING_DEPTH + " levels");
        }
        return switch (token) {
            case START_OBJECT -> object(p, path, depth);
            case START_ARRAY -> array(p, path, depth);
            case VALUE_STRING -> NODES.textNode(checkedText(p.getText(), name(path)));
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(p.getText(), token, name(path));
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new Refused(name(path) + ": is not a JSON value");
        };
    }

    private static ObjectNode object(JsonParser p, String path, int depth) throws IOException {
        ObjectNode o = NODES.objectNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            String field = path.isEmpty() ? key : path + "." + key;
            checkedText(key, "the name of " + (path.isEmpty() ? "a field" : "a field of " + path));
            o.set(key, value(p, p.nextToken(), field, depth + 1));
        }
        return o;
    }

    private static ArrayNode array(JsonParser p, String path, int depth) throws IOException {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            a.add(value(p, t, path + "[" + a.size() + "]", depth + 1));
        }
        return a;
    }

    /**
     * An exact number, refused when a double could not hold it: {@code 1e309} is not finite and
     * {@code 1e-400} is not zero but would read as zero, so no later reader can turn either into
     * Infinity or 0.
     */
    private static JsonNode number(String text, JsonToken token, String field) {
        if (text.length() > MAX_NUMBER_CHARS) {
            throw new Refused(field + ": a number of more than " + MAX_NUMBER_CHARS + " characters");
        }
        BigDecimal value = new BigDecimal(text);
        double approximate = value.doubleValue();
        if (Double.isInfinite(approximate) || (approximate == 0 && value.signum() != 0)) {
            throw new Refused(field + ": the number is out of range");
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return new WireNumber(value, text);
        }
        try {
            long whole = value.longValueExact();
            return whole == (int) whole ? NODES.numberNode((int) whole) : NODES.numberNode(whole);
        } catch (ArithmeticException e) {
            return NODES.numberNode(value.toBigIntegerExact());
        }
    }

    /** The text, or a refusal naming the field when it holds a NUL or half of a surrogate pair. */
    private static String checkedText(String text, String field) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new Refused(field + ": contains a NUL character (\\u0000), which is not allowed");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new Refused(field + ": contains a lone surrogate (\\u" + Integer.toHexString(c)
                        + "), which is not a character");
            }
        }
        return text;
    }

    private static String name(String path) {
        return path.isEmpty() ? "body" : path;
    }

    /** A refusal found while walking the tokens; its message names the field. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
