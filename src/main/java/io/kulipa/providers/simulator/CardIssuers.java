package io.kulipa.providers.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data of the simulated card world: issuing banks with their BIN ranges, the ISO 8583
 * response codes and the core failure code each maps to, and the sandbox's test cards. All three
 * are CSV resources, so a new bank, code or test card is a line, not code.
 */
public final class CardIssuers {

    public static final String BANKS = "/simulator/card-issuers.csv";
    public static final String CODES = "/simulator/iso8583-codes.csv";
    public static final String TEST_CARDS = "/simulator/test-cards.csv";
    public static final String APPROVED = "00";

    public record Bank(String id, String name, int binFrom, int binTo, boolean ussdWhitelisted) {
        boolean issues(String bin) {
            int b = Integer.parseInt(bin);
            return b >= binFrom && b <= binTo;
        }
    }

    /** @param coreCode the core FailureCode name; empty for 00 */
    public record ResponseCode(String code, String meaning, String coreCode) {
    }

    /** A test card as published in the docs (the PAN is test data, never stored in clear). */
    public record TestCard(String pan, String expiry, String pin, String balance, String creditLimit,
                           String forcedCode, String msisdn, String note) {
    }

    private final List<Bank> banks;
    private final Map<String, ResponseCode> codes;
    private final List<TestCard> testCards;

    private CardIssuers(List<Bank> banks, Map<String, ResponseCode> codes, List<TestCard> testCards) {
        this.banks = List.copyOf(banks);
        this.codes = Map.copyOf(codes);
        this.testCards = List.copyOf(testCards);
    }

    public static CardIssuers load() {
        List<Bank> banks = new ArrayList<>();
        for (String[] f : rows(BANKS, 5)) {
            banks.add(new Bank(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Boolean.parseBoolean(f[4])));
        }
        Map<String, ResponseCode> codes = new LinkedHashMap<>();
        for (String[] f : rows(CODES, 3)) {
            codes.put(f[0], new ResponseCode(f[0], f[1], f[2]));
        }
        List<TestCard> cards = new ArrayList<>();
        for (String[] f : rows(TEST_CARDS, 8)) {
            cards.add(new TestCard(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]));
        }
        return new CardIssuers(banks, codes, cards);
    }

    public Optional<Bank> bankOf(String bin) {
        return banks.stream().filter(b -> b.issues(bin)).findFirst();
    }

    public List<Bank> banks() {
        return banks;
    }

    public Optional<ResponseCode> code(String code) {
        return Optional.ofNullable(codes.get(code));
    }

    public Map<String, ResponseCode> codes() {
        return codes;
    }

    public List<TestCard> testCards() {
        return testCards;
    }

    private static List<String[]> rows(String resource, int fields) {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = CardIssuers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != fields) {
                    throw new IllegalStateException(resource + ": '" + line.split(",")[0] + "...' has " + f.length
                            + " fields, not " + fields);
                }
                out.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
