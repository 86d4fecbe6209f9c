package io.kulipa.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.MimeTypes;

/**
 * The static files (the pages' scripts and styles, the OpenAPI documents, Swagger UI's webjar),
 * read from the class path by name when first asked for and kept in memory.
 *
 * <p>Javalin's class-path static files mount the whole jar as a zip file system when the server is
 * built, which cost 0.5 s of every start on a quiet machine and up to 3 s on a busy one (ADR 22);
 * a look-up by name costs nothing at start. The URLs, content types and {@code Cache-Control}
 * are those Javalin served; the ETag is a hash of the content, and {@code If-None-Match} answers 304.
 */
final class StaticResources {

    /** The folders of {@code /web} on the class path, each served at its own name under {@code /}. */
    static final List<String> WEB_FOLDERS = List.of("assets", "openapi");
    static final String WEB_ROOT = "web/";
    static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
    /** Javalin's: the pages' own files are revalidated each time, a webjar's are versioned by path. */
    static final String WEB_CACHE_CONTROL = "max-age=0";
    static final String WEBJARS_CACHE_CONTROL = "max-age=31622400";

    private static final MimeTypes TYPES = MimeTypes.DEFAULTS;

    /** A file's bytes, type and ETag. */
    record Resource(byte[] bytes, String contentType, String etag) {
    }

    private final ClassLoader loader;
    /** Files found, by name; a name not found is not kept, so requests for made-up names cannot fill it. */
    private final Map<String, Resource> cache = new ConcurrentHashMap<>();

    StaticResources(ClassLoader loader) {
        this.loader = loader;
    }

    void register(RoutesConfig routes) {
        for (String folder : WEB_FOLDERS) {
            String root = WEB_ROOT + folder + "/";
            routes.get("/" + folder + "/<path>", ctx -> serve(ctx, root, ctx.pathParam("path"), WEB_CACHE_CONTROL));
            routes.head("/" + folder + "/<path>", ctx -> serve(ctx, root, ctx.pathParam("path"), WEB_CACHE_CONTROL));
        }
        routes.get("/webjars/<path>", ctx -> serve(ctx, WEBJARS_ROOT, ctx.pathParam("path"), WEBJARS_CACHE_CONTROL));
        routes.head("/webjars/<path>", ctx -> serve(ctx, WEBJARS_ROOT, ctx.pathParam("path"), WEBJARS_CACHE_CONTROL));
    }

    private void serve(Context ctx, String root, String path, String cacheControl) {
        Optional<Resource> found = find(root, path);
        if (found.isEmpty()) {
            HttpServer.answerNoEndpoint(ctx);
            return;
        }
        Resource r = found.get();
        ctx.contentType(r.contentType()).header("Cache-Control", cacheControl).header("ETag", r.etag());
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && List.of(ifNoneMatch.split("\\s*,\\s*")).contains(r.etag())) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
            ctx.header("Content-Length", Integer.toString(r.bytes().length));
            return;
        }
        ctx.result(r.bytes());
    }

    /** The file at {@code path} under {@code root}, a folder's index.html, or empty (also for a path leaving root). */
    Optional<Resource> find(String root, String path) {
        Optional<String> name = normalized(path);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String key = root + name.get();
        Resource cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Resource> loaded = load(key);
        loaded.ifPresent(r -> cache.putIfAbsent(key, r));
        return loaded;
    }

    /** The path's segments without empty ones; empty when a segment is "." or ".." or the path holds a backslash or NUL. */
    static Optional<String> normalized(String path) {
        if (path == null || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
            name.append(name.isEmpty() ? "" : "/").append(segment);
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name.toString());
    }

    private Optional<Resource> load(String name) {
        Optional<Resource> file = read(name);
        return file.isPresent() ? file : read(name + "/index.html");
    }

    private Optional<Resource> read(String name) {
        String type = name.endsWith(".yaml") || name.endsWith(".yml") ? "application/yaml"
                : TYPES.getMimeByExtension(name);
        if (type == null) {
            // A folder, or a kind of file Kulipa does not serve.
            return Optional.empty();
        }
        URL url = loader.getResource(name);
        if (url == null) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Resource(bytes, type + ";charset=utf-8", etag(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "W/\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
