package io.kulipa.signatures;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of RFC 8941 (structured field values) that message signatures use: a dictionary whose
 * members are items or inner lists, each with parameters, and the serialisation of an inner list
 * for the signature base. Values are strings ({@link String}), tokens ({@link Token}), integers
 * ({@link Long}), byte sequences ({@code byte[]}) and booleans.
 */
final class StructuredFields {

    /** A header longer than this is refused before it is parsed. */
    static final int MAX_FIELD_CHARS = 8192;
    /** Members of a dictionary, items of an inner list and parameters of one thing, at most. */
    static final int MAX_ENTRIES = 64;

    record Token(String text) {
    }

    record Param(String name, Object value) {
    }

    record Item(Object value, List<Param> params) {
    }

    /** A dictionary member: an inner list (items not null) or an item. */
    record Member(List<Item> items, Item item, List<Param> params) {
    }

    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private final String s;
    private int i;

    private StructuredFields(String s) {
        this.s = s;
    }

    static Map<String, Member> dictionary(String field) throws Malformed {
        if (field == null || field.length() > MAX_FIELD_CHARS) {
            throw new Malformed("missing or longer than " + MAX_FIELD_CHARS + " characters");
        }
        StructuredFields p = new StructuredFields(field);
        Map<String, Member> out = new LinkedHashMap<>();
        p.spaces();
        while (p.i < p.s.length()) {
            if (out.size() >= MAX_ENTRIES) {
                throw new Malformed("more than " + MAX_ENTRIES + " members");
            }
            String key = p.key();
            Member m;
            if (p.peek() == '=') {
                p.i++;
                m = p.member();
            } else {
                List<Param> params = p.params();
                m = new Member(null, new Item(Boolean.TRUE, params), params);
            }
            out.put(key, m);
            p.ows();
            if (p.i >= p.s.length()) {
                break;
            }
            p.expect(',');
            p.ows();
            if (p.i >= p.s.length()) {
                throw new Malformed("a trailing comma");
            }
        }
        return out;
    }

    /** The inner list as the signature base's {@code @signature-params} line has it. */
    static String serialize(List<Item> items, List<Param> params) {
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < items.size(); k++) {
            if (k > 0) {
                b.append(' ');
            }
            b.append(bare(items.get(k).value()));
            appendParams(b, items.get(k).params());
        }
        b.append(')');
        appendParams(b, params);
        return b.toString();
    }

    private static void appendParams(StringBuilder b, List<Param> params) {
        for (Param p : params) {
            b.append(';').append(p.name());
            if (!Boolean.TRUE.equals(p.value())) {
                b.append('=').append(bare(p.value()));
            }
        }
    }

    static String bare(Object v) {
        return switch (v) {
            case String str -> '"' + str.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            case Token t -> t.text();
            case Long l -> Long.toString(l);
            case byte[] bytes -> ':' + Base64.getEncoder().encodeToString(bytes) + ':';
            case Boolean bool -> bool ? "?1" : "?0";
            default -> throw new IllegalArgumentException("not a structured value: " + v.getClass());
        };
    }

    private Member member() throws Malformed {
        if (peek() == '(') {
            i++;
            List<Item> items = new ArrayList<>();
            while (true) {
                spaces();
                if (peek() == ')') {
                    i++;
                    break;
                }
                if (items.size() >= MAX_ENTRIES) {
                    throw new Malformed("more than " + MAX_ENTRIES + " items in a list");
                }
                Object v = bareItem();
                items.add(new Item(v, params()));
                char c = peek();
                if (c != ' ' && c != ')') {
                    throw new Malformed("an inner list item is not followed by a space or ')'");
                }
            }
            List<Param> params = params();
            return new Member(items, null, params);
        }
        Object v = bareItem();
        List<Param> params = params();
        return new Member(null, new Item(v, params), params);
    }

    private List<Param> params() throws Malformed {
        List<Param> out = new ArrayList<>();
        while (peek() == ';') {
            i++;
            spaces();
            if (out.size() >= MAX_ENTRIES) {
                throw new Malformed("more than " + MAX_ENTRIES + " parameters");
            }
            String name = key();
            Object value = Boolean.TRUE;
            if (peek() == '=') {
                i++;
                value = bareItem();
            }
            out.add(new Param(name, value));
        }
        return out;
    }

    private Object bareItem() throws Malformed {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == ':') {
            int end = s.indexOf(':', i + 1);
            if (end < 0) {
                throw new Malformed("an unterminated byte sequence");
            }
            String b64 = s.substring(i + 1, end);
            i = end + 1;
            try {
                return Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new Malformed("a byte sequence that is not base64");
            }
        }
        if (c == '?') {
            i++;
            char b = peek();
            i++;
            if (b == '1' || b == '0') {
                return b == '1';
            }
            throw new Malformed("a boolean that is neither ?1 nor ?0");
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = i;
            i++;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 16) {
                i++;
            }
            if (i < s.length() && (s.charAt(i) == '.' || Character.isDigit(s.charAt(i)))) {
                throw new Malformed("a decimal or an integer of more than 15 digits");
            }
            try {
                return Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new Malformed("an integer that is not one");
            }
        }
        if (Character.isLetter(c) || c == '*') {
            int start = i;
            while (i < s.length() && "!#$%&'*+-.^_`|~:/".indexOf(s.charAt(i)) >= 0
                    || i < s.length() && Character.isLetterOrDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            return new Token(s.substring(start, i));
        }
        throw new Malformed("an unexpected character at " + i);
    }

    private String string() throws Malformed {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\') {
                if (i >= s.length()) {
                    break;
                }
                char n = s.charAt(i++);
                if (n != '"' && n != '\\') {
                    throw new Malformed("a string with a bad escape");
                }
                b.append(n);
            } else if (c == '"') {
                return b.toString();
            } else if (c < 0x20 || c > 0x7e) {
                throw new Malformed("a string with a character outside printable ASCII");
            } else {
                b.append(c);
            }
        }
        throw new Malformed("an unterminated string");
    }

    private String key() throws Malformed {
        int start = i;
        char c = peek();
        if (!(c >= 'a' && c <= 'z') && c != '*') {
            throw new Malformed("a key that does not start with a lower-case letter or '*'");
        }
        while (i < s.length()) {
            char k = s.charAt(i);
            if ((k >= 'a' && k <= 'z') || (k >= '0' && k <= '9') || k == '_' || k == '-' || k == '.' || k == '*') {
                i++;
            } else {
                break;
            }
        }
        return s.substring(start, i);
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void expect(char c) throws Malformed {
        if (peek() != c) {
            throw new Malformed("expected '" + c + "' at " + i);
        }
        i++;
    }

    private void spaces() {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
    }

    private void ows() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }
}
