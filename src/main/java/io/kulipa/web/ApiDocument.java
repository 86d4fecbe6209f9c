package io.kulipa.web;

/** An OpenAPI document listed on the docs page: its title and its file under {@code /openapi/}. */
public record ApiDocument(String title, String file) {
}
