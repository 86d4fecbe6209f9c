package io.kulipa;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox started as a user starts it, on its embedded PostgreSQL in new data directories
 * (ADR 22): the first start makes the cluster template, the next new data directory gets a copy,
 * and both gateways come up whole, with the demo merchant and the pages' files.
 */
class EmbeddedStartTest {

    @TempDir
    Path tmp;

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Kulipa start(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("KULIPA_DATA_DIR", tmp.resolve(name).toString());
        env.put("KULIPA_EMBEDDED_PG_TEMPLATES", tmp.resolve("templates").toString());
        env.put("KULIPA_PORT", "0");
        env.put("KULIPA_HOST", "127.0.0.1");
        env.put("KULIPA_BOOTSTRAP_TOKEN", "embedded-start-token");
        env.put("KULIPA_DB_POOL_SIZE", "4");
        return Kulipa.start(Settings.from(env, new String[0]));
    }

    private static int status(Kulipa k, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + k.port() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private List<Path> templates() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("templates"))) {
            return s.toList();
        }
    }

    @Test
    void aSecondNewDataDirectoryStartsFromTheTemplateTheFirstMade() throws Exception {
        FileTime made;
        try (Kulipa first = start("first")) {
            assertThat(status(first, "/health")).isEqualTo(200);
            assertThat(templates()).hasSize(1);
            made = Files.getLastModifiedTime(templates().getFirst().resolve("kulipa-template"));
        }
        try (Kulipa second = start("second")) {
            assertThat(status(second, "/health")).isEqualTo(200);
            assertThat(status(second, "/assets/kulipa.css")).isEqualTo(200);
            assertThat(status(second, "/docs/index.html")).isEqualTo(200);
            // The demo merchant of a new sandbox was made in the copy.
            assertThat(tmp.resolve("second").resolve("demo-merchant.json")).exists();
            assertThat(tmp.resolve("second").resolve("postgres").resolve("postgresql.conf")).exists();
        }
        assertThat(templates()).hasSize(1);
        assertThat(Files.getLastModifiedTime(templates().getFirst().resolve("kulipa-template"))).isEqualTo(made);
        // And a copy starts again on its own files.
        try (Kulipa again = start("second")) {
            assertThat(status(again, "/health")).isEqualTo(200);
            // Durable commits, and statistics for a new cluster's tables within seconds (issue 14).
            List<String> settings = again.database().jdbi().withHandle(h -> h.createQuery("SELECT name || '=' || setting"
                    + " FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes',"
                    + " 'autovacuum', 'autovacuum_naptime') ORDER BY name").mapTo(String.class).list());
            assertThat(settings).containsExactly("autovacuum=on", "autovacuum_naptime=5", "fsync=on", "full_page_writes=on",
                            "synchronous_commit=on");
        }
    }
}
