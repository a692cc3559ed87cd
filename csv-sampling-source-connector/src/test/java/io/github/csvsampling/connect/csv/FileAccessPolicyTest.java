package io.github.csvsampling.connect.csv;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the worker's operator decides which files csv.path may name. */
class FileAccessPolicyTest {

    @TempDir
    Path root;

    private Path allowed;
    private Path outside;

    @BeforeEach
    void files() throws Exception {
        allowed = Files.createDirectories(root.resolve("allowed"));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(allowed.resolve("ok.csv"), "a\n1\n");
        Files.writeString(outside.resolve("secret.csv"), "a\n1\n");
    }

    @Test
    void filesUnderAnAllowedDirectoryAreAllowed() throws Exception {
        Files.createDirectories(allowed.resolve("sub"));
        Files.writeString(allowed.resolve("sub/deep.csv"), "a\n1\n");

        assertThatCode(() -> policy(allowed.toString()).check(allowed.resolve("ok.csv"))).doesNotThrowAnyException();
        assertThatCode(() -> policy(allowed.toString()).check(allowed.resolve("sub/deep.csv"))).doesNotThrowAnyException();
        assertThatCode(() -> policy(outside + File.pathSeparator + allowed).check(allowed.resolve("ok.csv")))
                .doesNotThrowAnyException();
    }

    @Test
    void filesOutsideAreRefusedNamingTheAllowedDirectoriesAndWhoSetThem() {
        assertThatThrownBy(() -> policy(allowed.toString()).check(outside.resolve("secret.csv")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("secret.csv").hasMessageContaining("outside the directories")
                .hasMessageContaining(allowed.toString()).hasMessageContaining(FileAccessPolicy.PROPERTY);
    }

    @Test
    void pathsOutsideAreRefusedWhetherOrNotTheyExistSoThatNoAnswerTellsWhichFilesExist() {
        for (Path path : new Path[] {outside.resolve("absent.csv"), outside.resolve("no/such/dir/x.csv"),
                outside.resolve("n".repeat(300) + ".csv"), Path.of("/proc/self/fd/0")}) {
            assertThatThrownBy(() -> policy(allowed.toString()).check(path)).as("%s", path)
                    .isInstanceOf(DatasetException.class).hasMessageContaining("outside the directories");
        }
    }

    @Test
    void missingFilesInsideAreLeftToOpeningWhichNamesThem() {
        assertThatCode(() -> policy(allowed.toString()).check(allowed.resolve("absent.csv")))
                .doesNotThrowAnyException();
        assertThatCode(() -> policy(allowed.toString()).check(allowed.resolve("no/such/dir/x.csv")))
                .doesNotThrowAnyException();
    }

    @Test
    void dotDotTraversalIsRefusedEvenWhenItWouldLandInside() {
        Path traversal = allowed.resolve("../outside/secret.csv");
        Path roundTrip = allowed.resolve("../allowed/ok.csv");

        assertThatThrownBy(() -> policy(allowed.toString()).check(traversal))
                .isInstanceOf(DatasetException.class).hasMessageContaining("'..'");
        assertThatThrownBy(() -> policy(allowed.toString()).check(roundTrip))
                .isInstanceOf(DatasetException.class).hasMessageContaining("'..'");
    }

    @Test
    void symbolicLinksThatEscapeAreRefusedAndLinksThatStayInsideAllowed() throws Exception {
        Path escaping = Files.createSymbolicLink(allowed.resolve("escape.csv"), outside.resolve("secret.csv"));
        Path escapingDir = Files.createSymbolicLink(allowed.resolve("escape-dir"), outside);
        Path inside = Files.createSymbolicLink(allowed.resolve("alias.csv"), allowed.resolve("ok.csv"));

        assertThatThrownBy(() -> policy(allowed.toString()).check(escaping))
                .isInstanceOf(DatasetException.class).hasMessageContaining("really " + outside.toRealPath());
        assertThatThrownBy(() -> policy(allowed.toString()).check(escapingDir.resolve("secret.csv")))
                .isInstanceOf(DatasetException.class).hasMessageContaining("outside the directories");
        assertThatCode(() -> policy(allowed.toString()).check(inside)).doesNotThrowAnyException();
    }

    @Test
    void anAllowedDirectoryThatIsItselfALinkIsResolved() throws Exception {
        Path link = Files.createSymbolicLink(root.resolve("link-to-allowed"), allowed);

        assertThatCode(() -> policy(link.toString()).check(allowed.resolve("ok.csv"))).doesNotThrowAnyException();
        assertThatCode(() -> policy(allowed.toString()).check(link.resolve("ok.csv"))).doesNotThrowAnyException();
    }

    @Test
    void withoutAPolicyNoFileIsAllowed() {
        FileAccessPolicy none = FileAccessPolicy.from(key -> null, Map.of());

        assertThatThrownBy(() -> none.check(allowed.resolve("ok.csv")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("allows no CSV files")
                .hasMessageContaining(FileAccessPolicy.PROPERTY).hasMessageContaining(FileAccessPolicy.ENVIRONMENT);
    }

    @Test
    void theEnvironmentVariableAppliesWhenThePropertyIsUnset() {
        FileAccessPolicy fromEnvironment = FileAccessPolicy.from(key -> null,
                Map.of(FileAccessPolicy.ENVIRONMENT, allowed.toString()));

        assertThatCode(() -> fromEnvironment.check(allowed.resolve("ok.csv"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> fromEnvironment.check(outside.resolve("secret.csv")))
                .hasMessageContaining(FileAccessPolicy.ENVIRONMENT);
    }

    @Test
    void relativePathsAreRefused() {
        assertThatThrownBy(() -> policy(allowed.toString()).check(Path.of("data.csv")))
                .isInstanceOf(DatasetException.class).hasMessageContaining("relative path");
    }

    @Test
    void aFileOverTheOperatorsSizeCapIsRefused() throws Exception {
        Path big = allowed.resolve("big.csv");
        Files.write(big, new byte[4096]);
        FileAccessPolicy capped = FileAccessPolicy.from(key -> switch (key) {
            case FileAccessPolicy.PROPERTY -> allowed.toString();
            case FileAccessPolicy.MAX_BYTES_PROPERTY -> "4095";
            default -> null;
        }, Map.of());

        assertThatThrownBy(() -> capped.checkSize(big, Files.size(big)))
                .isInstanceOf(DatasetException.class).hasMessageContaining("big.csv").hasMessageContaining("4096 bytes")
                .hasMessageContaining("over the 4095 bytes").hasMessageContaining(FileAccessPolicy.MAX_BYTES_PROPERTY);
        assertThatCode(() -> capped.checkSize(big, 4095)).doesNotThrowAnyException();
        assertThatCode(() -> policy(allowed.toString()).checkSize(big, FileAccessPolicy.DEFAULT_MAX_BYTES))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> FileAccessPolicy.from(k -> null, Map.of(FileAccessPolicy.MAX_BYTES_ENVIRONMENT, "10"))
                .checkSize(big, 11)).hasMessageContaining(FileAccessPolicy.MAX_BYTES_ENVIRONMENT);
    }

    @Test
    void loadingAFileOverTheCapFailsBeforeReadingIt() throws Exception {
        Path big = root.resolve("generated-big.csv");
        StringBuilder rows = new StringBuilder("a,b\n");
        for (int i = 0; i < 2000; i++) {
            rows.append(i).append(',').append(i * 2).append('\n');
        }
        Files.writeString(big, rows);
        String previous = System.getProperty(FileAccessPolicy.MAX_BYTES_PROPERTY);
        System.setProperty(FileAccessPolicy.MAX_BYTES_PROPERTY, "10000");
        try {
            assertThatThrownBy(() -> CsvDataset.load(new io.github.csvsampling.connect.config.CsvSamplingSourceConfig(
                    Map.of("topic", "t", "csv.path", big.toString())), Long.MAX_VALUE))
                    .isInstanceOf(DatasetException.class).hasMessageContaining(big.toString())
                    .hasMessageContaining("over the 10000 bytes");
        } finally {
            if (previous == null) {
                System.clearProperty(FileAccessPolicy.MAX_BYTES_PROPERTY);
            } else {
                System.setProperty(FileAccessPolicy.MAX_BYTES_PROPERTY, previous);
            }
        }
    }

    private static FileAccessPolicy policy(String dirs) {
        return FileAccessPolicy.from(key -> FileAccessPolicy.PROPERTY.equals(key) ? dirs : null, Map.of());
    }
}
