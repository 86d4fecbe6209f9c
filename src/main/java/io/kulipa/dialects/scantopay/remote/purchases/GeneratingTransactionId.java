package io.kulipa.dialects.scantopay.remote.purchases;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.dialects.scantopay.Code;
import io.kulipa.dialects.scantopay.CodeStore;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Remote API's lookup ({@code generateTransactionId}): resolves what the wallet scanned or
 * the customer typed — a ten-digit code, a Scan to Pay QR URL (URL-encoded or not), or a scanned
 * payload carrying one code — into the code's merchant, amount and kind (static {@code poi} 11
 * or dynamic 12), with a fresh single-use transactionId every call. The code may ask for inputs
 * (contact, shipping, billing, extraReference, extraInput); until every one is given the answer
 * is NEED_INPUT (a transaction that cannot be bought); an input outside the supported list fails
 * the lookup.
 */
public final class GeneratingTransactionId {

    /** The inputs a code may ask for, as the business rules list them (VAS products add their own). */
    public static final List<String> SUPPORTED_INPUTS = List.of("contact", "shipping", "billing", "extraReference",
            "extraInput");
    /** The most inputs one lookup may carry. */
    public static final int INPUTS_MAX = 20;
    /** The longest value (a QR URL) a lookup takes. */
    public static final int VALUE_MAX_CHARS = 512;
    private static final Pattern TEN_DIGITS = Pattern.compile("[0-9]{10}");
    private static final Pattern CODE_IN_TEXT = Pattern.compile("(?<![0-9])([0-9]{10})(?![0-9])");

    /** What a lookup gives: the wallet's inputs by name (a text or a small JSON object). */
    public record Lookup(UUID brandId, String msisdn, String value, Map<String, Object> inputs) {
    }

    public sealed interface Result {
        /** A transaction to buy (READY) or to look up again with inputs (NEED_INPUT). */
        record Resolved(RemoteTransaction transaction, Merchant merchant, List<String> missing) implements Result {
        }

        /** An application-level refusal: 200 {@code ERROR} with the message. */
        record Refused(String message) implements Result {
        }
    }

    private final CodeStore codes;
    private final MerchantStore merchants;
    private final RemoteTransactionStore store;
    private final Clock clock;
    private final io.kulipa.dialects.scantopay.remote.vas.VasMenus menus;
    private final java.util.function.Supplier<Optional<UUID>> vasMerchant;

    /** @param vasMerchant the merchant VAS purchases pay (the sandbox's demo merchant), if any */
    public GeneratingTransactionId(CodeStore codes, MerchantStore merchants, RemoteTransactionStore store,
                                   io.kulipa.dialects.scantopay.remote.vas.VasMenus menus,
                                   java.util.function.Supplier<Optional<UUID>> vasMerchant, Clock clock) {
        this.codes = codes;
        this.merchants = merchants;
        this.store = store;
        this.menus = menus;
        this.vasMerchant = vasMerchant;
        this.clock = clock;
    }

    /** A lookup of a VAS leaf of the brand's menu, bought like a code. */
    public record VasLookup(UUID brandId, String brandName, String msisdn, String productId,
                            io.kulipa.money.Amount amount, Map<String, Object> inputs) {
    }

    /**
     * A VAS leaf as a transaction to buy: the product must be on the brand's menu, the amount within
     * its bounds, each of its inputs given and matching its regex (NEED_INPUT lists the missing
     * ones); an input that is neither the product's nor a supported one fails the lookup.
     */
    public Result lookupVas(VasLookup l) {
        var product = menus.product(l.brandName(), l.productId());
        if (product.isEmpty()) {
            return new Result.Refused("vasProductId: no VAS product " + l.productId() + " on this wallet brand's menu");
        }
        var p = product.get();
        if (l.amount() == null) {
            return new Result.Refused("amount: required for a VAS product, " + p.minAmount().toPlainString() + " to "
                    + p.maxAmount().toPlainString());
        }
        java.math.BigDecimal a = l.amount().value();
        if (a.scale() > 2 || a.compareTo(p.minAmount()) < 0 || a.compareTo(p.maxAmount()) > 0) {
            return new Result.Refused("amount: must be " + p.minAmount().toPlainString() + " to "
                    + p.maxAmount().toPlainString() + " with at most two decimals for " + p.id());
        }
        List<String> needed = p.inputs().stream().map(io.kulipa.dialects.scantopay.remote.vas.VasMenus.Input::name)
                .toList();
        for (String given : l.inputs().keySet()) {
            if (!needed.contains(given) && !SUPPORTED_INPUTS.contains(given)) {
                return new Result.Refused("inputs: '" + given + "' is not an input of " + p.id() + " nor a supported "
                        + "input (" + String.join(", ", needed) + ", " + String.join(", ", SUPPORTED_INPUTS) + ")");
            }
        }
        List<String> missing = new ArrayList<>();
        for (var input : p.inputs()) {
            Object v = l.inputs().get(input.name());
            if (v == null) {
                missing.add(input.name());
            } else if (!(v instanceof String text) || !input.regex().matcher(text).matches()) {
                return new Result.Refused("inputs: " + input.name() + " does not match " + input.regex().pattern());
            }
        }
        Optional<Merchant> merchant = vasMerchant.get().flatMap(merchants::byId);
        if (merchant.isEmpty()) {
            return new Result.Refused("vasProductId: VAS purchases are not configured on this gateway");
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        needed.stream().filter(l.inputs()::containsKey).forEach(n -> kept.put(n, l.inputs().get(n)));
        RemoteTransaction t = new RemoteTransaction(Long.toString(codes.nextTxId()), l.brandId(), l.msisdn(),
                RemoteTransaction.Kind.VAS, "VAS:" + p.id(), null, p.id(), merchant.get().id(), a,
                RemoteTransaction.DYNAMIC, needed, json(kept),
                missing.isEmpty() ? RemoteTransaction.Status.READY : RemoteTransaction.Status.NEED_INPUT, null, null,
                null, null, null, null, clock.instant(), null, null);
        store.add(t);
        return new Result.Resolved(t, merchant.get(), missing);
    }

    /** The ten-digit code a value carries, if it carries exactly one. */
    public static Optional<String> codeOf(String value) {
        String s = value.strip();
        if (TEN_DIGITS.matcher(s).matches()) {
            return Optional.of(s);
        }
        if (s.contains("%")) {
            try {
                s = URLDecoder.decode(s, StandardCharsets.UTF_8).strip();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return fromUrl(s);
        }
        Matcher m = CODE_IN_TEXT.matcher(s);
        if (!m.find()) {
            return Optional.empty();
        }
        String found = m.group(1);
        return m.find() ? Optional.empty() : Optional.of(found);
    }

    private static Optional<String> fromUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && (kv[0].equals("code") || kv[0].equals("c")) && TEN_DIGITS.matcher(kv[1]).matches()) {
                    return Optional.of(kv[1]);
                }
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        return TEN_DIGITS.matcher(last).matches() ? Optional.of(last) : Optional.empty();
    }

    public Result lookup(Lookup l) {
        Optional<String> digits = codeOf(l.value());
        if (digits.isEmpty()) {
            return new Result.Refused("value: is no Scan to Pay code, QR URL or scanned value Kulipa can read "
                    + "(ten digits, a URL ending in them, or a payload carrying exactly one code)");
        }
        Optional<Code> code = codes.find(digits.get());
        Instant now = clock.instant();
        if (code.isEmpty()) {
            return new Result.Refused("value: no Scan to Pay code " + digits.get() + " exists");
        }
        Code c = code.get();
        if (c.expiresAt() != null && !c.expiresAt().isAfter(now)) {
            return new Result.Refused("value: the code " + c.code() + " has expired");
        }
        if (c.useOnce() && c.uses() > 0) {
            return new Result.Refused("value: the code " + c.code() + " is single-use and was already paid");
        }
        Optional<Merchant> merchant = merchants.byId(c.merchantId());
        if (merchant.isEmpty()) {
            return new Result.Refused("value: the code's merchant no longer takes payments");
        }
        List<String> needed = store.codeInputs(c.code());
        for (String given : l.inputs().keySet()) {
            if (!SUPPORTED_INPUTS.contains(given)) {
                return new Result.Refused("inputs: '" + given + "' is not a supported input (supported: "
                        + String.join(", ", SUPPORTED_INPUTS) + ")");
            }
        }
        List<String> missing = new ArrayList<>();
        for (String n : needed) {
            if (!l.inputs().containsKey(n)) {
                missing.add(n);
            }
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        needed.stream().filter(l.inputs()::containsKey).forEach(n -> kept.put(n, l.inputs().get(n)));
        RemoteTransaction t = new RemoteTransaction(Long.toString(codes.nextTxId()), l.brandId(), l.msisdn(),
                RemoteTransaction.Kind.CODE, c.code(), c.code(), null, c.merchantId(), c.amount(),
                c.useOnce() ? RemoteTransaction.DYNAMIC : RemoteTransaction.STATIC, needed, json(kept),
                missing.isEmpty() ? RemoteTransaction.Status.READY : RemoteTransaction.Status.NEED_INPUT, null, null,
                null, null, null, null, now, null, null);
        store.add(t);
        return new Result.Resolved(t, merchant.get(), missing);
    }

    /** Sets the inputs a code asks for (operations); unsupported names are refused. */
    public Optional<String> requireInputs(String code, List<String> inputs) {
        for (String i : inputs) {
            if (!SUPPORTED_INPUTS.contains(i)) {
                return Optional.of("inputs: '" + i + "' is not a supported input (supported: "
                        + String.join(", ", SUPPORTED_INPUTS) + ")");
            }
        }
        if (codes.find(code).isEmpty()) {
            return Optional.of("code: no such code");
        }
        store.setCodeInputs(code, List.copyOf(new java.util.LinkedHashSet<>(inputs)), clock.instant());
        return Optional.empty();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static String json(Map<String, Object> inputs) {
        ObjectNode n = JSON.createObjectNode();
        inputs.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        return n.toString();
    }
}
