package io.github.csvsampling.console;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For working on the page: a broker, a worker with our connector streaming at 20 records/s and the console on
 * http://127.0.0.1:8090/, until Ctrl-C. Not a test.
 */
public final class DevConsole {

    private DevConsole() {
    }

    public static void main(String[] args) throws Exception {
        try (ConsoleCluster cluster = ConsoleCluster.start()) {
            cluster.rest.createConnector("stock-quotes-source", ConsoleCluster.sourceConfig("stock-quotes",
                    args.length > 0 ? args[0] : "20"));
            Path bucket = Files.createDirectories(Files.createTempDirectory("dev-console-").resolve("stock-quotes"));
            try (PipelineConsole console = PipelineConsole.start(ConsoleSettings.builder()
                    .connectUrl(cluster.worker.restUrl()).bootstrap(cluster.kafka.bootstrapServers())
                    .bucketDir(bucket).queryInterval(java.time.Duration.ofSeconds(10))
                    .allowSql(true).build())) {
                System.out.println("Console: " + console.url() + "  Connect: " + cluster.worker.restUrl());
                Thread.currentThread().join();
            }
        }
    }
}
