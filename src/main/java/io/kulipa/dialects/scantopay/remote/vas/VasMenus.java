package io.kulipa.dialects.scantopay.remote.vas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The VAS menus of the wallet brands as data ({@link #RESOURCE}), by brand name: categories of
 * products, each with the inputs the wallet must ask for and the regex an answer must match. A
 * brand that is not configured has an empty menu, as the business rules say. Every regex is
 * compiled at load, so a bad one stops the start rather than a customer's purchase.
 */
public final class VasMenus {

    public static final String RESOURCE = "/catalog/scantopay-remote-vas.json";

    private final JsonNode brands;

    private VasMenus(JsonNode brands) {
        this.brands = brands;
    }

    public static VasMenus load(String resource) {
        try (InputStream in = VasMenus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            JsonNode brands = new ObjectMapper().readTree(in).path("brands");
            brands.forEach(b -> b.path("categories").forEach(c -> c.path("products").forEach(p ->
                    p.path("inputsRequired").forEach(i -> {
                        try {
                            Pattern.compile(i.path("regex").asText());
                        } catch (PatternSyntaxException e) {
                            throw new IllegalStateException(resource + ": bad regex of " + p.path("id").asText(), e);
                        }
                    }))));
            return new VasMenus(brands);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The brand's categories, an empty array for a brand without VAS. */
    public JsonNode categories(String brandName) {
        JsonNode c = brands.path(brandName).path("categories");
        return c.isArray() ? c : JsonNodeFactory.instance.arrayNode();
    }
}
