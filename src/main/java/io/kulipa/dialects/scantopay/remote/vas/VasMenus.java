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

    /** A product (a leaf) of the brand's menu with its category's id, if the brand has it. */
    public java.util.Optional<Product> product(String brandName, String productId) {
        for (JsonNode c : categories(brandName)) {
            for (JsonNode p : c.path("products")) {
                if (p.path("id").asText().equals(productId)) {
                    java.util.List<Input> inputs = new java.util.ArrayList<>();
                    p.path("inputsRequired").forEach(i -> inputs.add(new Input(i.path("name").asText(),
                            Pattern.compile(i.path("regex").asText()))));
                    return java.util.Optional.of(new Product(p.path("id").asText(), p.path("name").asText(),
                            c.path("id").asText(), new java.math.BigDecimal(p.path("minAmount").asText("0.01")),
                            new java.math.BigDecimal(p.path("maxAmount").asText("100000")), inputs));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** A VAS leaf a wallet can buy: its bounds and the inputs (with their regex) it asks for. */
    public record Product(String id, String name, String category, java.math.BigDecimal minAmount,
                          java.math.BigDecimal maxAmount, java.util.List<Input> inputs) {
        /** Airtime is credited to a handset; every other product is delivered as a token. */
        public boolean airtime() {
            return "AIRTIME".equals(category);
        }
    }

    public record Input(String name, Pattern regex) {
    }

    /** The brand's categories, an empty array for a brand without VAS. */
    public JsonNode categories(String brandName) {
        JsonNode c = brands.path(brandName).path("categories");
        return c.isArray() ? c : JsonNodeFactory.instance.arrayNode();
    }
}
