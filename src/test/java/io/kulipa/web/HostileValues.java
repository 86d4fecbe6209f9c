package io.kulipa.web;

import java.util.List;
import java.util.Random;

/**
 * Values that a careless handler would pass on to SQL, a regex, a UUID parser or a log line:
 * for path and query parameters as they go on the wire (percent-encoded, including encodings of
 * NUL, lone surrogates and invalid UTF-8), and for headers as the JDK's client will send them.
 */
final class HostileValues {

    record Value(String wire, String description) {
    }

    static final int LONG_VALUE_CHARS = 4_000;

    static final List<Value> PATH = List.of(
            new Value("%00", "NUL"),
            new Value("abc%00def", "NUL inside"),
            new Value("%ED%A0%80", "lone surrogate as UTF-8"),
            new Value("%ED%B0%80abc", "low surrogate as UTF-8"),
            new Value("%FF%FE", "invalid UTF-8"),
            new Value("%C3%28", "truncated UTF-8 sequence"),
            new Value("%C0%AF", "overlong UTF-8"),
            new Value("..", "dot-dot"),
            new Value("%2e%2e", "encoded dot-dot"),
            new Value("a%2Fb", "encoded slash"),
            new Value("%20", "space"),
            new Value("%0D%0Ax", "CR LF"),
            new Value("%25", "percent sign"),
            new Value("'%20OR%201=1--", "SQL quote"),
            new Value("%3Cscript%3E", "markup"),
            new Value("%F0%9F%98%80", "emoji"),
            new Value("%E2%80%AE", "right-to-left override"),
            new Value("-1", "negative number"),
            new Value("0", "zero"),
            new Value("99999999999999999999999999", "huge integer"),
            new Value("1e309", "number beyond double"),
            new Value("NaN", "NaN"),
            new Value("null", "the word null"),
            new Value("9".repeat(LONG_VALUE_CHARS), LONG_VALUE_CHARS + " digits"),
            new Value("x".repeat(LONG_VALUE_CHARS), LONG_VALUE_CHARS + " letters"),
            new Value("%7B%7D", "braces"));

    static final List<Value> HEADER = List.of(
            new Value("", "empty"),
            new Value("not-a-uuid", "not a UUID"),
            new Value("' OR 1=1--", "SQL quote"),
            new Value("../../etc/passwd", "dot-dot"),
            new Value("A".repeat(LONG_VALUE_CHARS), LONG_VALUE_CHARS + " letters"),
            new Value("99999999999999999999999999", "huge integer"),
            new Value("http://10.0.0.1:1/x", "private address URL"),
            new Value("javascript:alert(1)", "script URL"),
            new Value("%00", "percent-encoded NUL"),
            new Value("Bearer", "scheme without token"),
            new Value("\u00e9\u00e8", "Latin-1 letters"));

    private HostileValues() {
    }

    static Value pick(List<Value> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }
}
