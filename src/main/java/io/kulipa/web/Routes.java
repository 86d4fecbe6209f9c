package io.kulipa.web;

import io.javalin.config.RoutesConfig;

/** A group of HTTP endpoints that registers itself on the server. */
public interface Routes {
    void register(RoutesConfig routes);
}
