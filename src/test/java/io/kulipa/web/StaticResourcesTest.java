package io.kulipa.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The static files served by name from the class path (ADR 22): the URLs, content types and
 * caching headers Javalin's class-path static files had, and nothing outside the served folders.
 */
class StaticResourcesTest {

    private static HttpServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = new HttpServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(),
                List.of()).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = StaticResourcesTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void thePagesFilesAreServedWithTheirTypesAndRevalidatedEachTime() throws Exception {
        record Expected(String path, String resource, String type) {
        }
        for (Expected e : List.of(
                new Expected("/assets/kulipa.css", "web/assets/kulipa.css", "text/css;charset=utf-8"),
                new Expected("/assets/phone.js", "web/assets/phone.js", "text/javascript;charset=utf-8"),
                new Expected("/openapi/jenga.yaml", "web/openapi/jenga.yaml", "application/yaml;charset=utf-8"))) {
            HttpResponse<byte[]> r = get(e.path());
            assertThat(r.statusCode()).as(e.path()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(e.path()).hasValue(e.type());
            assertThat(r.headers().firstValue("Cache-Control")).as(e.path()).hasValue("max-age=0");
            assertThat(r.body()).as(e.path()).isEqualTo(resource(e.resource()));
        }
    }

    @Test
    void theWebjarsAreServedAndCachedForAYear() throws Exception {
        HttpResponse<byte[]> css = get("/webjars/swagger-ui/5.34.1/swagger-ui.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
        assertThat(css.headers().firstValue("Cache-Control")).hasValue("max-age=31622400");
        assertThat(css.body()).isEqualTo(resource("META-INF/resources/webjars/swagger-ui/5.34.1/swagger-ui.css"));
        // A folder is its index.html, as before.
        HttpResponse<byte[]> folder = get("/webjars/swagger-ui/5.34.1/");
        assertThat(folder.statusCode()).isEqualTo(200);
        assertThat(folder.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(folder.body()).isEqualTo(resource("META-INF/resources/webjars/swagger-ui/5.34.1/index.html"));
        // The docs page's references resolve.
        for (String path : List.of("/webjars/swagger-ui/5.34.1/swagger-ui-bundle.js",
                "/webjars/swagger-ui/5.34.1/swagger-ui-standalone-preset.js")) {
            HttpResponse<byte[]> js = get(path);
            assertThat(js.statusCode()).as(path).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type")).as(path).hasValue("text/javascript;charset=utf-8");
        }
    }

    @Test
    void anUnchangedFileIsAnsweredNotModified() throws Exception {
        HttpResponse<byte[]> first = get("/assets/pay.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("W/\"");
        HttpResponse<byte[]> again = get("/assets/pay.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/assets/pay.js", "If-None-Match", "W/\"other\"").statusCode()).isEqualTo(200);
        // Another file has another tag.
        assertThat(get("/assets/kulipa.css").headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() throws Exception {
        HttpResponse<byte[]> head = CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/assets/phone.css"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void missingFilesAndFoldersAreNotFoundInJson() throws Exception {
        for (String path : List.of("/assets/nope.css", "/assets/", "/openapi", "/webjars/none/1.0/x.js",
                "/web/assets/phone.css", "/META-INF/MANIFEST.MF", "/logback.xml")) {
            HttpResponse<byte[]> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(path).contains("errorMessage");
        }
    }

    @Test
    void nothingOutsideTheServedFoldersCanBeReached() throws Exception {
        // Raw requests: an HTTP client would remove the dot segments before sending them.
        for (String path : List.of("/assets/../logback.xml", "/assets/%2e%2e/logback.xml",
                "/assets/..%2flogback.xml", "/openapi/..%2f..%2flogback.xml", "/webjars/../../logback.xml",
                "/assets/%2e%2e/%2e%2e/db/migration/V1__core.sql", "/assets/..%5c..%5clogback.xml")) {
            String answer = raw(path);
            assertThat(answer).as(path).doesNotStartWith("HTTP/1.1 200");
            assertThat(answer).as(path).doesNotContain("<configuration").doesNotContain("CREATE TABLE");
        }
        assertThat(StaticResources.normalized("a/../b")).isEmpty();
        assertThat(StaticResources.normalized("a/./b")).isEmpty();
        assertThat(StaticResources.normalized("a\\b")).isEmpty();
        assertThat(StaticResources.normalized("//a//b/")).hasValue("a/b");
    }

    private static String raw(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyFolderOfTheWebResourcesIsServed() throws Exception {
        Path web = Path.of(StaticResourcesTest.class.getClassLoader().getResource("web").toURI());
        try (Stream<Path> entries = Files.list(web)) {
            List<String> folders = entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(folders).containsExactlyInAnyOrderElementsOf(StaticResources.WEB_FOLDERS);
        }
        try (Stream<Path> entries = Files.list(web)) {
            assertThat(entries.filter(Files::isRegularFile).toList()).as("files served at / itself").isEmpty();
        }
    }
}
