package io.kulipa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kulipa.payments.Merchant;
import io.kulipa.payments.MerchantStore;
import io.kulipa.payments.OnboardingMerchant;
import io.kulipa.payments.PaymentKind;
import io.kulipa.dialects.DemoMerchant;
import io.kulipa.dialects.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * First-run set-up: the admin token and, in the sandbox, a demo merchant with every
 * correspondent enabled and the credentials each dialect gives it. Their tokens are written to files in the data directory (readable
 * by the owner only) so that a restart keeps them.
 */
final class Bootstrap {

    static final String DEMO_MERCHANT = "Demo Merchant";
    static final String DEMO_FILE = "demo-merchant.json";
    static final String ADMIN_FILE = "admin-token.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The demo merchant of a sandbox start, its token, and the banner lines of every dialect. */
    record Demo(Merchant merchant, String token, String banner) {
        @Override
        public String toString() {
            return "Demo[merchant=" + merchant.id() + "]";
        }
    }

    private Bootstrap() {
    }

    /**
     * The sandbox's demo merchant with every correspondent enabled, its pawaPay token, the
     * callback URLs of {@code KULIPA_BOOTSTRAP_CALLBACK_URL}, and whatever each dialect gives
     * it, written to {@link #DEMO_FILE}.
     */
    static Demo demoMerchant(Settings settings, MerchantStore merchants, OnboardingMerchant onboarding,
                             List<Dialect> dialects) {
        Map<PaymentKind, String> urls = new EnumMap<>(PaymentKind.class);
        if (settings.bootstrapCallbackUrl() != null) {
            for (PaymentKind kind : PaymentKind.values()) {
                urls.put(kind, settings.bootstrapCallbackUrl());
            }
        }
        Optional<Merchant> existing = merchants.byName(DEMO_MERCHANT);
        Merchant merchant;
        String token;
        if (existing.isEmpty()) {
            OnboardingMerchant.Onboarded created = onboarding.onboard(DEMO_MERCHANT, Set.of(), urls,
                    settings.bootstrapToken());
            merchant = created.merchant();
            token = created.token();
        } else {
            Merchant known = existing.get();
            token = keptToken(settings, known, onboarding);
            urls.forEach((kind, url) -> merchants.setCallbackUrl(known.id(), kind, url));
            merchant = merchants.byId(known.id()).orElseThrow();
        }
        Path path = settings.dataDir().resolve(DEMO_FILE);
        ObjectNode file = MAPPER.createObjectNode();
        file.put("merchantId", merchant.id().toString());
        file.put("name", merchant.name());
        file.put("token", token);
        ObjectNode callbacks = file.putObject("callbackUrls");
        merchant.callbackUrls().forEach((k, v) -> callbacks.put(k.name().toLowerCase(), v));
        DemoMerchant demo = new DemoMerchant(merchant, read(path).orElseGet(MAPPER::createObjectNode), file,
                new StringBuilder(), settings.dataDir());
        dialects.forEach(d -> d.bootstrapDemo(demo));
        write(path, file);
        return new Demo(merchant, token, demo.banner().toString());
    }

    /** The fixed token if one is set, else the one written last time if it still works, else a new one. */
    private static String keptToken(Settings settings, Merchant merchant, OnboardingMerchant onboarding) {
        if (settings.bootstrapToken() != null) {
            return onboarding.rotateToken(merchant.id(), settings.bootstrapToken());
        }
        Optional<String> previous = read(settings.dataDir().resolve(DEMO_FILE)).map(n -> n.path("token").asText());
        if (previous.isPresent() && onboarding.authenticate(previous.get())
                .filter(m -> m.id().equals(merchant.id())).isPresent()) {
            return previous.get();
        }
        return onboarding.rotateToken(merchant.id(), null);
    }

    /** The admin token: the fixed one if set, else the one written last time, else a new one. */
    static String adminToken(Settings settings) {
        Path file = settings.dataDir().resolve(ADMIN_FILE);
        String token = settings.adminToken();
        if (token == null) {
            token = read(file).map(n -> n.path("adminToken").asText()).filter(t -> !t.isBlank())
                    .orElseGet(OnboardingMerchant::newToken);
        }
        write(file, MAPPER.createObjectNode().put("adminToken", token));
        return token;
    }

    private static Optional<JsonNode> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(MAPPER.readTree(file.toFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void write(Path file, JsonNode content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(content) + "\n");
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system; the file keeps the default permissions.
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
