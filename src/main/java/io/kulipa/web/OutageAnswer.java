package io.kulipa.web;

import io.javalin.http.Context;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a dialect answers a request of its own paths that failed because the database could not be
 * reached: its own error body and a 5xx status it documents, never a stack trace. The HTTP server
 * picks the answer whose path prefix matches the request's path.
 */
public record OutageAnswer(List<String> pathPrefixes, Consumer<Context> answer) {

    public OutageAnswer {
        pathPrefixes = List.copyOf(pathPrefixes);
    }

    boolean matches(String path) {
        return pathPrefixes.stream().anyMatch(path::startsWith);
    }
}
