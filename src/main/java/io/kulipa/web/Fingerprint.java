package io.kulipa.web;

import io.kulipa.payments.Secrets;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A digest of a request body that ignores key order and white space, so that a true retry
 * has the same fingerprint as the original and a reused id with another body does not.
 *
 * <p>The canonical text is what Jackson wrote for the body converted to plain maps and lists with
 * {@code ORDER_MAP_ENTRIES_BY_KEYS} and {@code USE_BIG_DECIMAL_FOR_FLOATS} (the form every stored
 * fingerprint was made with): keys sorted by {@link String#compareTo}, integers as written,
 * other numbers as {@link BigDecimal#toString()}. It is written here straight from the parsed
 * tree through one generator, without the conversion to maps (issue 14: the conversion was 6 % of
 * a {@code POST /deposits}' CPU); {@code FingerprintTest} checks both give the same digest.
 */
public final class Fingerprint {

    private static final JsonFactory JSON = new JsonFactory();

    private Fingerprint() {
    }

    public static String of(JsonNode body) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            write(g, body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint a parsed body", e);
        }
        return Secrets.digest(text.toString());
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(n.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    fields.add(it.next());
                }
                fields.sort(Map.Entry.comparingByKey());
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> f : fields) {
                    g.writeFieldName(f.getKey());
                    write(g, f.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode item : n) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case NUMBER -> number(g, n);
            default -> throw new IllegalArgumentException("a parsed body holds no " + n.getNodeType() + " node");
        }
    }

    /** As the conversion to plain values typed them: int, long and big integers as they are, any other number a BigDecimal. */
    private static void number(JsonGenerator g, JsonNode n) throws IOException {
        if (n.isInt()) {
            g.writeNumber(n.intValue());
        } else if (n.isLong()) {
            g.writeNumber(n.longValue());
        } else if (n.isBigInteger()) {
            g.writeNumber(n.bigIntegerValue());
        } else if (n.isBigDecimal()) {
            g.writeNumber(n.decimalValue());
        } else {
            // float and double nodes (not made by JsonBody's parser, whose decimals are exact)
            g.writeNumber(BigDecimal.valueOf(n.doubleValue()));
        }
    }
}
