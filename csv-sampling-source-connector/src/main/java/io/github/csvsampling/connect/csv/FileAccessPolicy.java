package io.github.csvsampling.connect.csv;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which files the connector may read. Anyone who can call the Connect REST API can set
 * {@code csv.path}, so the worker's operator, not the connector's configuration, decides: the JVM
 * system property {@value #PROPERTY} or else the environment variable {@value #ENVIRONMENT}
 * lists the allowed directories (separated by the platform's path separator, {@code :} on Linux).
 * Without either, no file is allowed and only the bundled sample can be used.
 *
 * <p>A path is allowed when it is absolute, has no {@code .} or {@code ..} segment, and its real
 * location, after following every symbolic link, lies inside the real location of an allowed
 * directory; so a link that points outside is refused however it is named.
 *
 * <p>The operator also caps the size of a file ({@value #MAX_BYTES_PROPERTY} or
 * {@value #MAX_BYTES_ENVIRONMENT}, default {@value #DEFAULT_MAX_BYTES} bytes = 16 GiB): every task
 * reads the whole file at start and keeps 8 bytes per row (once per worker for the tasks of one
 * connector), so the cap bounds a task's start-up time and memory whatever a REST user configures.
 */
public final class FileAccessPolicy {

    public static final String PROPERTY = "csv.sampling.allowed.dirs";
    public static final String ENVIRONMENT = "CSV_SAMPLING_ALLOWED_DIRS";
    public static final String MAX_BYTES_PROPERTY = "csv.sampling.max.file.bytes";
    public static final String MAX_BYTES_ENVIRONMENT = "CSV_SAMPLING_MAX_FILE_BYTES";
    public static final long DEFAULT_MAX_BYTES = 16L << 30;

    private final List<String> allowed;
    private final String source;
    private final long maxBytes;

    private FileAccessPolicy(List<String> allowed, String source, long maxBytes) {
        this.allowed = allowed;
        this.source = source;
        this.maxBytes = maxBytes;
    }

    /** The policy this worker's operator set, read now (so tests and operators can change it without restarts). */
    public static FileAccessPolicy current() {
        return from(System::getProperty, System.getenv());
    }

    static FileAccessPolicy from(Function<String, String> properties, Map<String, String> environment) {
        long maxBytes = maxBytes(properties.apply(MAX_BYTES_PROPERTY), environment.get(MAX_BYTES_ENVIRONMENT));
        String property = properties.apply(PROPERTY);
        if (property != null && !property.isBlank()) {
            return new FileAccessPolicy(split(property), "system property " + PROPERTY, maxBytes);
        }
        String variable = environment.get(ENVIRONMENT);
        if (variable != null && !variable.isBlank()) {
            return new FileAccessPolicy(split(variable), "environment variable " + ENVIRONMENT, maxBytes);
        }
        return new FileAccessPolicy(List.of(), null, maxBytes);
    }

    /**
     * Checks the size of an opened file against the operator's cap.
     *
     * @throws DatasetException on {@code csv.path} when the file is larger
     */
    public void checkSize(Path file, long size) {
        if (size > maxBytes) {
            throw new DatasetException("csv.path", "csv.path '" + file + "' is " + size + " bytes, over the "
                    + maxBytes + " bytes this worker allows (" + MAX_BYTES_PROPERTY + " or " + MAX_BYTES_ENVIRONMENT
                    + ", set by the worker's operator). Sample a smaller file, or ask the operator to raise the limit.");
        }
    }

    private static long maxBytes(String property, String variable) {
        for (String text : new String[] {property, variable}) {
            if (text != null && !text.isBlank()) {
                try {
                    long value = Long.parseLong(text.trim());
                    if (value > 0) {
                        return value;
                    }
                } catch (NumberFormatException e) {
                    // an unusable setting falls back to the default rather than lifting the cap
                }
            }
        }
        return DEFAULT_MAX_BYTES;
    }

    /**
     * Checks that the file may be read.
     *
     * @throws DatasetException on {@code csv.path}, saying what is wrong and how to fix it
     */
    public void check(Path file) {
        String key = "csv.path";
        if (!file.isAbsolute()) {
            throw new DatasetException(key, "csv.path '" + file + "' is a relative path; the worker's working"
                    + " directory is not defined. Give the absolute path of the file on the worker.");
        }
        for (Path segment : file) {
            if (segment.toString().equals("..") || segment.toString().equals(".")) {
                throw new DatasetException(key, "csv.path '" + file + "' contains '" + segment + "'. Give the"
                        + " plain absolute path of the file, without . or .. segments.");
            }
        }
        if (allowed.isEmpty()) {
            throw new DatasetException(key, "This worker allows no CSV files, so csv.path '" + file + "' cannot"
                    + " be read; leave csv.path empty for the bundled sample. The worker's operator allows"
                    + " directories with the JVM system property " + PROPERTY + " or the environment variable "
                    + ENVIRONMENT + " (for example /data/csv).");
        }
        Path real = realLocation(file);
        for (String dir : allowed) {
            try {
                if (real.startsWith(Path.of(dir).toRealPath())) {
                    return;
                }
            } catch (IOException e) {
                // an allowed directory that does not exist allows nothing
            }
        }
        throw new DatasetException(key, "csv.path '" + file + "'" + (real.equals(file) ? "" : " (really " + real + ")")
                + " is outside the directories this worker allows (" + String.join(", ", allowed) + ", set by the "
                + source + "). Put the file under one of them, or ask the worker's operator to allow its"
                + " directory.");
    }

    /**
     * Where the file really is, after following every symbolic link. For a path that does not resolve (it does
     * not exist, cannot be reached, or its name is too long), the real location of its nearest ancestor that
     * does, followed by the rest of the path: so a path outside the allowed directories is refused whether or
     * not it exists, and the answer does not tell REST users which files exist elsewhere on the worker (nor lets
     * them read what /proc/self/fd/N points to), while a missing file inside an allowed directory is still
     * reported as missing when it is opened.
     */
    private static Path realLocation(Path file) {
        Path ancestor = file;
        while (ancestor != null) {
            try {
                Path realAncestor = ancestor.toRealPath();
                return ancestor == file ? realAncestor : realAncestor.resolve(ancestor.relativize(file));
            } catch (IOException | RuntimeException e) {
                ancestor = ancestor.getParent();
            }
        }
        return file;
    }

    private static List<String> split(String list) {
        List<String> dirs = new ArrayList<>();
        for (String dir : list.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                dirs.add(dir.trim());
            }
        }
        return dirs;
    }
}
