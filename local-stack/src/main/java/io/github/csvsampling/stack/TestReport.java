package io.github.csvsampling.stack;

import java.nio.file.Path;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * What the Maven output of a test run says beyond Surefire's counts: each skipped test with its
 * reason (an assumption that failed, or {@code @Disabled}), so that nothing is skipped silently, and,
 * for a failed test, where the logs of the embedded Kafka, Connect and S3 servers are: the tests log
 * to {@value #LOG} in their module, not to the console (see each module's {@code log4j2-test.xml}).
 * Registered with the JUnit Platform through {@code META-INF/services}, for every module whose tests
 * have this module on their class path.
 */
public final class TestReport implements TestExecutionListener {

    /** Where the tests' logs go, relative to the module's folder (the tests' working directory). */
    public static final String LOG = "target/test-logs/tests.log";

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("[SKIPPED] " + name(test) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            System.out.println("[SKIPPED] " + name(test) + ": "
                    + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            System.out.println("[FAILED] " + name(test) + ": the logs of the servers it ran are in "
                    + Path.of(LOG).toAbsolutePath());
        }
    }

    /** {@code Class.method()}, or {@code Class} for a skipped class. */
    private static String name(TestIdentifier test) {
        String className = test.getUniqueIdObject().getSegments().stream()
                .filter(s -> s.getType().equals("class")).map(s -> s.getValue().replaceAll(".*\\.", ""))
                .findFirst().orElse("");
        return test.isTest() ? className + "." + test.getLegacyReportingName() : className;
    }
}
