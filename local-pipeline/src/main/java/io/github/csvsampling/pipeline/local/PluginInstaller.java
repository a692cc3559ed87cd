package io.github.csvsampling.pipeline.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import io.github.csvsampling.stack.KafkaVersion;
import org.apache.kafka.connect.runtime.isolation.PluginClassLoader;
import org.apache.kafka.tools.ConnectPluginPath;

/**
 * Installs a Kafka Connect plugin the way a worker needs it: as <em>one</em> plugin (one class
 * loader for all its jars), in a directory of its own that goes on {@code plugin.path}, with
 * {@code ServiceLoader} declarations for its plugin classes, so that a worker with
 * {@code plugin.discovery=service_load} finds it without scanning every jar it has.
 *
 * <p>It takes what users have: a Confluent Hub component archive (the zip), its unzipped folder
 * ({@code manifest.json}, {@code lib/*.jar}), a folder that holds one such folder, or a plain
 * folder of jars. Most Hub components were published before KIP-898 and declare nothing; Kafka's
 * own {@code connect-plugin-path sync-manifests} adds the declarations as one extra shim jar. The
 * user's files are never changed: the plugin's jars are copied into {@code installRoot} first, and
 * the tool runs on the copy. An installation is reused as long as its source (names, sizes and
 * modification times of its files) and the Kafka version are the same, so the scan (about 15 s for
 * the Confluent S3 sink) happens once.
 *
 * <p>Layout, for a source {@code .../confluentinc-kafka-connect-s3-10.6.5}:
 * <pre>
 * installRoot/confluentinc-kafka-connect-s3-10.6.5-1a2b3c4d/      &lt;- the plugin.path entry
 *     install.properties                                           what was installed, from where
 *     confluentinc-kafka-connect-s3-10.6.5/                        the plugin: one class loader
 *         manifest.json, lib/*.jar, connect-plugin-path-shim-1.0.0.jar
 * </pre>
 */
public final class PluginInstaller {

    static final String SINK_SERVICE = "META-INF/services/org.apache.kafka.connect.sink.SinkConnector";
    static final String SOURCE_SERVICE = "META-INF/services/org.apache.kafka.connect.source.SourceConnector";
    private static final String MARKER = "install.properties";

    /** An installed plugin. */
    public record Installed(Path pluginPathEntry, Path pluginDir, List<String> connectors, boolean reused) {

        /** Whether the plugin declares {@code connectorClass} (a sink or a source connector). */
        public boolean declares(String connectorClass) {
            return connectors.contains(connectorClass);
        }
    }

    /** What went wrong, said for the user: the message names the path, the problem and the fix. */
    public static final class InstallException extends Exception {

        private static final long serialVersionUID = 1L;

        InstallException(String message) {
            super(message);
        }

        InstallException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path installRoot;
    private final PrintStream out;

    /**
     * @param installRoot where installations go, one folder each (created when missing)
     * @param out         where progress lines go
     */
    public PluginInstaller(Path installRoot, PrintStream out) {
        this.installRoot = installRoot.toAbsolutePath();
        this.out = out;
    }

    /**
     * Installs {@code source} (a zip, a Hub folder, a folder holding one, or a folder of jars), or
     * returns the earlier installation of the same unchanged source.
     */
    public Installed install(Path source) throws InstallException {
        Path absolute = source.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new InstallException(absolute + " does not exist. Give the Confluent Hub zip file, its unzipped"
                    + " folder (with manifest.json and lib/), or a folder of its jars.");
        }
        String fingerprint = fingerprint(absolute);
        Path entry = installRoot.resolve(entryName(absolute));
        Properties marker = readMarker(entry);
        if (fingerprint.equals(marker.getProperty("source.fingerprint"))
                && KafkaVersion.current().equals(marker.getProperty("kafka.version"))
                && Files.isDirectory(entry.resolve(marker.getProperty("plugin.dir", "?")))) {
            Path pluginDir = entry.resolve(marker.getProperty("plugin.dir"));
            return new Installed(entry, pluginDir, declaredConnectors(pluginDir), true);
        }
        try {
            Files.createDirectories(installRoot);
            Path staging = Files.createTempDirectory(installRoot, ".staging-");
            try {
                Path pluginDir = copyPlugin(absolute, staging);
                declareServices(pluginDir);
                Properties written = new Properties();
                written.setProperty("source", absolute.toString());
                written.setProperty("source.fingerprint", fingerprint);
                written.setProperty("kafka.version", KafkaVersion.current());
                written.setProperty("plugin.dir", pluginDir.getFileName().toString());
                try (var file = Files.newBufferedWriter(staging.resolve(MARKER), StandardCharsets.UTF_8)) {
                    written.store(file, "Installed by the csv-sampling main job; delete this folder to install again");
                }
                deleteRecursively(entry);
                Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
                Path installed = entry.resolve(pluginDir.getFileName());
                return new Installed(entry, installed, declaredConnectors(installed), false);
            } finally {
                deleteRecursively(staging);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InstallException("Could not install " + absolute + " into " + installRoot + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Why {@code connectorClass} is not usable from an installation that does not declare it: no
     * jar holds it, or it holds it but the class cannot be loaded and instantiated in the plugin's
     * own class loader (a jar it needs is missing), as Connect would find.
     */
    public static String diagnose(Installed installed, String connectorClass) {
        List<Path> jars = jars(installed.pluginDir());
        String classFile = connectorClass.replace('.', '/') + ".class";
        Path holder = null;
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                if (zip.getEntry(classFile) != null) {
                    holder = jar;
                    break;
                }
            } catch (IOException e) {
                return jar.getFileName() + " is not a readable jar (" + e.getMessage() + ")";
            }
        }
        if (holder == null) {
            return "none of its " + jars.size() + " jars holds " + connectorClass
                    + (installed.connectors().isEmpty() ? "" : "; it has " + String.join(", ", installed.connectors()));
        }
        try (PluginClassLoader loader = new PluginClassLoader(url(installed.pluginDir()),
                jars.stream().map(PluginInstaller::url).toArray(URL[]::new), PluginInstaller.class.getClassLoader())) {
            Class.forName(connectorClass, true, loader).getDeclaredConstructor().newInstance();
            return connectorClass + " (in " + holder.getFileName() + ") loads, but was not declared";
        } catch (LinkageError | ReflectiveOperationException e) {
            Throwable cause = e.getCause() instanceof LinkageError ? e.getCause() : e;
            return connectorClass + " is in " + holder.getFileName() + " but cannot be loaded: " + cause
                    + " (a jar it needs is missing: give the component's whole lib/ folder)";
        } catch (IOException e) {
            return connectorClass + " is in " + holder.getFileName() + " but cannot be loaded: " + e;
        }
    }

    /** The sink and source connectors the plugin's jars declare for {@code ServiceLoader}. */
    static List<String> declaredConnectors(Path pluginDir) {
        TreeSet<String> classes = new TreeSet<>();
        for (Path jar : jars(pluginDir)) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (String service : List.of(SINK_SERVICE, SOURCE_SERVICE)) {
                    ZipEntry entry = zip.getEntry(service);
                    if (entry != null) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                                String name = line.replaceAll("#.*", "").strip();
                                if (!name.isEmpty()) {
                                    classes.add(name);
                                }
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // not a readable jar: the worker skips it too
            }
        }
        return List.copyOf(classes);
    }

    /**
     * Copies the plugin's jars (and its {@code manifest.json}) from {@code source} into a folder of
     * {@code staging} named after the plugin, keeping their relative paths. Returns that folder.
     */
    private static Path copyPlugin(Path source, Path staging) throws IOException, InstallException {
        Path root = source;
        if (Files.isRegularFile(source)) {
            if (!source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                throw new InstallException(source + " is a file but not a zip archive. Give the Confluent Hub zip"
                        + " file, its unzipped folder, or a folder of its jars.");
            }
            root = staging.resolve(".unzipped");
            unzip(source, root);
        }
        Path component = componentRoot(root, source);
        String name = component.equals(root) && root != source ? stripZip(source) : component.getFileName().toString();
        Path pluginDir = staging.resolve(name);
        try (Stream<Path> files = Files.walk(component)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(".jar") || file.getParent().equals(component) && fileName.equals("manifest.json")) {
                    Path target = pluginDir.resolve(component.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        deleteRecursively(staging.resolve(".unzipped"));
        return pluginDir;
    }

    /**
     * The folder that is the plugin: {@code dir} itself when it holds jars, a {@code lib/} or a
     * {@code manifest.json}; else its only sub-folder that holds jars (a folder that holds the
     * unzipped component, or the top folder of a zip).
     */
    private static Path componentRoot(Path dir, Path source) throws IOException, InstallException {
        Path current = dir;
        while (true) {
            if (Files.exists(current.resolve("manifest.json")) || Files.isDirectory(current.resolve("lib"))
                    || hasJarsDirectly(current)) {
                if (jars(current).isEmpty()) {
                    throw new InstallException(source + " has no jar files. Give the Confluent Hub zip file, its"
                            + " unzipped folder (with manifest.json and lib/*.jar), or a folder of its jars.");
                }
                return current;
            }
            List<Path> withJars;
            try (Stream<Path> children = Files.list(current)) {
                withJars = children.filter(Files::isDirectory).filter(d -> !jars(d).isEmpty()).sorted().toList();
            }
            if (withJars.isEmpty()) {
                throw new InstallException(source + " has no jar files. Give the Confluent Hub zip file, its unzipped"
                        + " folder (with manifest.json and lib/*.jar), or a folder of its jars.");
            }
            if (withJars.size() > 1) {
                throw new InstallException(source + " holds several plugins (" + withJars.stream()
                        .map(d -> d.getFileName().toString()).reduce((a, b) -> a + ", " + b).orElse("")
                        + "). Name the folder of the one to use.");
            }
            current = withJars.get(0);
        }
    }

    /**
     * Runs Kafka's {@code connect-plugin-path sync-manifests} on the copied plugin: it scans the
     * plugin in its own class loader and writes a shim jar with a {@code META-INF/services} entry for
     * every plugin class that loads and is not declared yet.
     */
    private void declareServices(Path pluginDir) throws InstallException {
        out.println("Preparing " + pluginDir.getFileName() + " for the worker (once): declaring its plugins with"
                + " Kafka's connect-plugin-path sync-manifests ...");
        long start = System.nanoTime();
        ByteArrayOutputStream toolOut = new ByteArrayOutputStream();
        int code;
        try (PrintStream stdout = new PrintStream(toolOut, true, StandardCharsets.UTF_8)) {
            code = ConnectPluginPath.mainNoExit(new String[] {"sync-manifests", "--plugin-location",
                pluginDir.toString()}, stdout, stdout);
        }
        if (code != 0) {
            throw new InstallException("Kafka's connect-plugin-path sync-manifests failed on " + pluginDir + " (exit "
                    + code + "): " + toolOut.toString(StandardCharsets.UTF_8).strip());
        }
        out.printf(Locale.ROOT, "Prepared in %.1f s.%n", (System.nanoTime() - start) / 1e9);
    }

    /** Names, sizes and modification times of the source's files: changes when the source does. */
    static String fingerprint(Path source) throws InstallException {
        CRC32C crc = new CRC32C();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                crc.update((source.relativize(file) + "|" + attributes.size() + "|"
                        + attributes.lastModifiedTime().toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new InstallException("Cannot read " + source + ": " + e.getMessage(), e);
        }
        return Long.toHexString(crc.getValue());
    }

    /** The installation's folder name: the source's name and a hash of its path, so sources do not collide. */
    private static String entryName(Path source) {
        CRC32C crc = new CRC32C();
        crc.update(source.toString().getBytes(StandardCharsets.UTF_8));
        String name = stripZip(source).replaceAll("[^A-Za-z0-9._-]", "_");
        return name + "-" + String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private static String stripZip(Path path) {
        return path.getFileName().toString().replaceFirst("(?i)\\.zip$", "");
    }

    private static Properties readMarker(Path entry) {
        Properties marker = new Properties();
        Path file = entry.resolve(MARKER);
        if (Files.isRegularFile(file)) {
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                marker.load(in);
            } catch (IOException e) {
                // unreadable: install again
            }
        }
        return marker;
    }

    private static boolean hasJarsDirectly(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.anyMatch(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar"));
        }
    }

    static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar"))
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    private static void unzip(Path zip, Path target) throws IOException, InstallException {
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            boolean any = false;
            while ((entry = in.getNextEntry()) != null) {
                any = true;
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new InstallException(zip + " has an entry outside its own folder (" + entry.getName()
                            + "); not installing it.");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(in, path, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!any) {
                throw new InstallException(zip + " is not a zip archive (or is empty). Download it again.");
            }
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path.toString(), e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
