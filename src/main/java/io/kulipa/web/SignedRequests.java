package io.kulipa.web;

import io.javalin.http.Context;
import io.kulipa.signatures.HttpSignatures;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;

/** A request as RFC 9421's signature base sees it: its method, target and header fields as received. */
public final class SignedRequests {

    private SignedRequests() {
    }

    public static HttpSignatures.Message message(Context ctx) {
        return new HttpSignatures.Message() {
            @Override
            public String method() {
                return ctx.method().name();
            }

            @Override
            public String authority() {
                String host = ctx.header("Host");
                return host == null ? "" : host.strip();
            }

            @Override
            public String path() {
                String raw = ctx.req().getRequestURI();
                return raw == null || raw.isEmpty() ? "/" : raw;
            }

            @Override
            public String query() {
                return ctx.queryString();
            }

            @Override
            public String scheme() {
                return ctx.scheme();
            }

            @Override
            public Optional<String> header(String name) {
                Enumeration<String> values = ctx.req().getHeaders(name.toLowerCase(Locale.ROOT));
                if (values == null || !values.hasMoreElements()) {
                    return Optional.empty();
                }
                StringBuilder joined = new StringBuilder(values.nextElement().strip());
                while (values.hasMoreElements()) {
                    joined.append(", ").append(values.nextElement().strip());
                }
                return Optional.of(joined.toString());
            }
        };
    }
}
