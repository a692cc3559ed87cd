package io.github.csvsampling.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.csvsampling.stack.LocalConnectWorker;
import io.github.csvsampling.stack.LocalKafka;
import io.github.csvsampling.stack.KafkaVersion;

/**
 * The benchmark program of issue #6. Starts the in-JVM KRaft broker and Connect worker the tests use (127.0.0.1),
 * and in one run measures Kafka's ProducerPerformance (client ceiling), a trivial constant-record connector
 * (Connect framework ceiling), our connector unthrottled in every sampling mode on the bundled sample and on a
 * generated large file, rate precision, the catch-up after a stall, time to first record, CPU, and (in child JVMs
 * capped at 256 MB) the heap retained after loading. Writes a Markdown report and prints it.
 *
 * <p>Arguments: {@code --variant quick|full --plugin-dir DIR --work-dir DIR --output FILE}, and optionally
 * {@code --sections throughput,rate,stall,first,start,cpu,heap} (default: all) and {@code --baseline-plugin-dir DIR}
 * (another build of the plugin, such as an earlier commit's, whose task start the start section measures beside
 * ours, run after run). The quick variant is a
 * smoke check: it exits with status 1 when a sanity check fails (a mode that emits nothing, a rate off by more than
 * 5%, a heap probe that fails); the full variant reports every target as met or missed and exits 0.
 */
public final class BenchmarkMain {

    static final String ALLOWED_DIRS = "csv.sampling.allowed.dirs";
    private static final Path TMPFS = Path.of("/dev/shm");

    private final Variant variant;
    private Path output;
    private List<String> sections;
    private final Path pluginDir;
    private Path baselinePluginDir;
    private final Path workDir;
    /** The bundled sample written out, for the trivial connector's records. */
    private Path bundledCsv;
    private final StringBuilder report = new StringBuilder();
    private final List<String> failures = new ArrayList<>();
    private final List<String[]> targets = new ArrayList<>();

    private BenchmarkMain(Variant variant, Path pluginDir, Path workDir) {
        this.variant = variant;
        this.pluginDir = pluginDir;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Variant variant = Variant.of(options.getOrDefault("variant", "quick"));
        Path pluginDir = Path.of(options.getOrDefault("plugin-dir", "csv-sampling-source-connector/target/plugin"));
        Path workDir = Path.of(options.getOrDefault("work-dir", "benchmarks/target/benchmark-work"));
        Path output = Path.of(options.getOrDefault("output", "benchmarks/target/benchmark-" + variant.name() + ".md"));
        if (!Files.isDirectory(pluginDir.resolve("csv-sampling-source-connector"))) {
            throw new IllegalStateException("No packaged plugin in " + pluginDir.toAbsolutePath()
                    + ": build it first (./mvnw -q install -DskipTests)");
        }
        // The connector reads csv.path only under directories the worker's operator allows (the worker is in this JVM).
        Files.createDirectories(workDir);
        System.setProperty(ALLOWED_DIRS, workDir.toAbsolutePath().toString());
        BenchmarkMain main = new BenchmarkMain(variant, pluginDir, workDir);
        main.output = output;
        main.sections = List.of(options.getOrDefault("sections", "throughput,rate,stall,first,start,cpu,heap")
                .split(","));
        String baseline = options.getOrDefault("baseline-plugin-dir", "").trim();
        if (!baseline.isEmpty()) {
            main.baselinePluginDir = Path.of(baseline);
            if (!Files.isDirectory(main.baselinePluginDir.resolve("csv-sampling-source-connector"))) {
                throw new IllegalStateException("No packaged plugin in " + main.baselinePluginDir.toAbsolutePath());
            }
        }
        long t0 = System.nanoTime();
        main.run();
        main.line("");
        main.line("Total benchmark time: " + Math.round((System.nanoTime() - t0) / 1e9) + " s.");
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, main.report, StandardCharsets.UTF_8);
        System.out.println(main.report);
        System.out.println("Report written to " + output.toAbsolutePath());
        if (!main.failures.isEmpty()) {
            System.out.println("SANITY CHECKS FAILED:\n  " + String.join("\n  ", main.failures));
            System.exit(1);
        }
        System.exit(0); // Kafka and Connect leave non-daemon threads behind
    }

    private void run() throws Exception {
        line("# Benchmark results (" + variant.name() + " variant)");
        line("");
        line("Run " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + "; "
                + Runtime.getRuntime().availableProcessors() + " cores; "
                + ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1 << 20) + " MiB memory; Java " + System.getProperty("java.vm.version")
                + " (" + System.getProperty("java.vm.name") + "); benchmark JVM max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; Kafka " + KafkaVersion.current()
                + "; load average at start " + Stats.fmt(ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage(), 2) + ".");
        line("");
        long g0 = System.nanoTime();
        Path large = LargeCsv.ensure(workDir, variant.largeRows());
        line("Large file: " + large.getFileName() + ", " + variant.largeRows() + " rows, "
                + Files.size(large) / (1 << 20) + " MiB (generated or reused in "
                + Math.round((System.nanoTime() - g0) / 1e9) + " s).");
        line("");

        bundledCsv = writeBundledSample();

        if (sections.stream().anyMatch(s -> !s.equals("heap") && !s.equals("start"))) {
            // The broker's log on a tmpfs when there is one: its disk writes (60 MB/s at full speed) and their
            // write-back would otherwise add noise to every figure. Deleted topics are removed after 1 s, not 60.
            LocalKafka.Builder broker = LocalKafka.builder().brokerProperty("file.delete.delay.ms", "1000");
            if (Files.isDirectory(TMPFS) && Files.isWritable(TMPFS)) {
                broker.tempDirParent(TMPFS);
                line("Broker log directory on the tmpfs " + TMPFS + ".");
                line("");
            }
            try (LocalKafka kafka = broker.start();
                 LocalConnectWorker worker = LocalConnectWorker.builder(kafka.bootstrapServers())
                         .pluginPath(List.of(pluginDir)).start()) {
                Benchmark bench = new Benchmark(kafka, worker);
                String plugins = worker.restClient().connectorPlugins().toString();
                if (!plugins.contains(Benchmark.OUR_CONNECTOR) || !plugins.contains(Benchmark.TRIVIAL_CONNECTOR)) {
                    throw new IllegalStateException("The worker does not list both connectors: " + plugins);
                }
                try {
                    if (sections.contains("throughput")) {
                        throughput(bench, large);
                        flush();
                    }
                    if (sections.contains("rate")) {
                        ratePrecision(bench);
                        flush();
                    }
                    if (sections.contains("stall")) {
                        stall(bench);
                        flush();
                    }
                    if (sections.contains("first")) {
                        firstRecord(bench);
                        flush();
                    }
                    if (sections.contains("cpu")) {
                        cpu(bench);
                        flush();
                    }
                } finally {
                    bench.close();
                }
            }
        }
        if (sections.contains("start")) {
            taskStart(large);
            flush();
        }
        if (sections.contains("heap")) {
            heap(large);
        }
        targetsSection();
    }

    // ----------------------------------------------------------------------------------------------------------

    private void throughput(Benchmark bench, Path large) {
        boolean quick = variant.name().equals("quick");
        if (!quick) {
            progress("warm-up (not counted): our connector, then the trivial connector");
            bench.connectorThroughput(Benchmark.ourConfig("t", "random", null, 0, Benchmark.UNTHROTTLED_BATCH), 2, 3);
            bench.connectorThroughput(Benchmark.trivialConfig("t", bundledCsv, 0), 2, 3);
        }
        // Each dataset has its own trivial baseline: the converter's cost depends on the values.
        Map<String, Map<String, String>> subjects = new LinkedHashMap<>();
        Map<String, String> baselineOf = new LinkedHashMap<>();
        String trivialBundled = "2. trivial connector, records of the bundled sample";
        subjects.put(trivialBundled, Benchmark.trivialConfig("t", bundledCsv, 0));
        for (String mode : Variant.MODES) {
            String name = "3. ours, " + mode + ", bundled sample";
            subjects.put(name, Benchmark.ourConfig("t", mode, null, 0, Benchmark.UNTHROTTLED_BATCH));
            baselineOf.put(name, trivialBundled);
        }
        if (!variant.largeModes().isEmpty()) {
            String trivialLarge = "2. trivial connector, records of the " + variant.largeRows()
                    + "-row file's first 100,000 rows";
            subjects.put(trivialLarge, Benchmark.trivialConfig("t", large, 0));
            for (String mode : variant.largeModes()) {
                String name = "3. ours, " + mode + ", " + variant.largeRows() + "-row file";
                subjects.put(name, Benchmark.ourConfig("t", mode, large, 0, Benchmark.UNTHROTTLED_BATCH));
                baselineOf.put(name, trivialLarge);
            }
        }
        String producerName = "1. ProducerPerformance (values the size of ours, acks=all)";
        Map<String, List<Benchmark.Throughput>> results = new LinkedHashMap<>();
        results.put(producerName, new ArrayList<>());
        subjects.keySet().forEach(name -> results.put(name, new ArrayList<>()));
        Map<String, List<Double>> vsTrivial = new LinkedHashMap<>();
        Map<String, List<Double>> vsProducer = new LinkedHashMap<>();
        long producerRecords = quick ? 100_000 : 2_000_000;
        for (int round = 1; round <= variant.repeats(); round++) {
            Map<String, Benchmark.Throughput> roundResults = new LinkedHashMap<>();
            // Each round starts at another subject, so that no subject always follows the same one.
            List<Map.Entry<String, Map<String, String>>> order = new ArrayList<>(subjects.entrySet());
            java.util.Collections.rotate(order, -(round - 1) * 3);
            for (Map.Entry<String, Map<String, String>> subject : order) {
                progress("throughput round " + round + "/" + variant.repeats() + ": " + subject.getKey());
                Benchmark.Throughput result;
                try {
                    result = bench.connectorThroughput(subject.getValue(), variant.warmupSeconds(),
                            variant.windowSeconds());
                } catch (RuntimeException e) {
                    progress("  -> FAILED: " + e.getMessage());
                    result = new Benchmark.Throughput(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                            "failed: " + e.getMessage().lines().findFirst().orElse(""));
                }
                results.get(subject.getKey()).add(result);
                roundResults.put(subject.getKey(), result);
                progress("  -> " + Stats.fmt(result.recordsPerSecond(), 0) + " records/s, first record after "
                        + Stats.fmt(result.firstRecordMillis(), 0) + " ms");
            }
            // The producer's payload: the value size of our records (random mode, bundled sample), measured above.
            int recordSize = (int) Math.round(Stats.median(results.get("3. ours, random, bundled sample").stream()
                    .map(Benchmark.Throughput::valueBytes).toList()));
            progress("throughput round " + round + "/" + variant.repeats() + ": ProducerPerformance, " + recordSize
                    + "-byte values");
            Benchmark.Throughput producer = bench.producerPerformance(recordSize, producerRecords,
                    variant.warmupSeconds(), variant.windowSeconds());
            results.get(producerName).add(producer);
            progress("  -> " + Stats.fmt(producer.recordsPerSecond(), 0) + " records/s " + producer.note());
            producerRecords = Math.max(producerRecords,
                    (long) (producer.recordsPerSecond() * (variant.warmupSeconds() + variant.windowSeconds() + 4)));
            for (Map.Entry<String, Benchmark.Throughput> entry : roundResults.entrySet()) {
                Benchmark.Throughput trivial = roundResults.get(baselineOf.getOrDefault(entry.getKey(),
                        entry.getKey()));
                vsTrivial.computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
                        .add(entry.getValue().recordsPerSecond() / trivial.recordsPerSecond());
                vsProducer.computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
                        .add(entry.getValue().recordsPerSecond() / producer.recordsPerSecond());
            }
        }
        line("## Throughput (unthrottled; records/s at the broker over a " + variant.windowSeconds()
                + " s window after " + variant.warmupSeconds() + " s of warm-up; " + variant.repeats() + " rounds)");
        line("");
        line("Ratios are the median of the per-round ratios (each round runs every subject once, one after the"
                + " other, each after a full GC, each round starting 3 subjects further on); 'vs trivial' compares with the trivial connector emitting records"
                + " of the same dataset. Our connector: records.per.second=" + Benchmark.UNTHROTTLED_RATE + ", batch.size="
                + Benchmark.UNTHROTTLED_BATCH + ", one task; JsonConverter with schemas; one-partition topic.");
        line("");
        line("| Subject | records/s, median (min-max) | vs trivial (2) | vs producer (1) | first record, ms"
                + " | value bytes | header bytes |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Benchmark.Throughput>> entry : results.entrySet()) {
            List<Benchmark.Throughput> runs = entry.getValue();
            List<Double> rates = runs.stream().map(Benchmark.Throughput::recordsPerSecond).toList();
            String notes = runs.stream().map(Benchmark.Throughput::note).filter(n -> !n.isEmpty()).findFirst()
                    .map(n -> " (" + n + ")").orElse("");
            boolean producer = entry.getKey().equals(producerName);
            line("| " + entry.getKey() + notes + " | " + Stats.spread(rates, 0) + " | "
                    + (producer ? "" : Stats.pct(Stats.median(vsTrivial.get(entry.getKey())))) + " | "
                    + (producer ? "100.0%" : Stats.pct(Stats.median(vsProducer.get(entry.getKey())))) + " | "
                    + Stats.fmt(Stats.median(runs.stream().map(Benchmark.Throughput::firstRecordMillis).toList()), 0)
                    + " | " + Stats.fmt(Stats.median(runs.stream().map(Benchmark.Throughput::valueBytes).toList()), 0)
                    + " | " + Stats.fmt(Stats.median(runs.stream().map(Benchmark.Throughput::headerBytes).toList()), 0)
                    + " |");
            for (double rate : rates) {
                if (!(rate > 0)) {
                    failures.add(entry.getKey() + ": no records in the window");
                }
            }
            if (entry.getKey().startsWith("3.")) {
                double ratio = Stats.median(vsTrivial.get(entry.getKey()));
                targets.add(new String[] {"Throughput >= 90% of the trivial connector: " + entry.getKey(),
                    ratio >= 0.9 ? "met" : "MISSED", Stats.pct(ratio)});
            }
        }
        line("");
    }

    static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

    private void ratePrecision(Benchmark bench) {
        Map<String, List<Benchmark.RateResult>> byRate = new LinkedHashMap<>();
        for (int repeat = 1; repeat <= variant.rateRepeats(); repeat++) {
            for (List<Double> group : variant.rateGroups()) {
                measureRates(bench, repeat, group, Map.of(), "", byRate);
            }
            for (double rate : variant.stringConverterRates()) {
                measureRates(bench, repeat, List.of(rate), Map.of("value.converter", STRING_CONVERTER),
                        " (StringConverter)", byRate);
            }
        }
        line("## Rate precision (our connector, random mode, bundled sample, default batch.size; "
                + variant.rateSeconds() + " s windows after 3 s; " + variant.rateRepeats() + " repetitions)");
        line("");
        line("Achieved rate = (records in the window - 1) / (last - first record timestamp); timestamps are the"
                + " emission time in ms, so the rate is resolved to about 1 ms / span. Gaps are between consecutive"
                + " record timestamps (1 ms resolution; not resolvable above 1,000 records/s). Rates of one group"
                + " ran at the same time: " + variant.rateGroups() + ". 'By count' is the topic's offset growth over"
                + " the window's wall time (quantized to whole records: coarse at low rates)."
                + (variant.stringConverterRates().isEmpty() ? "" : " Rows marked StringConverter ran with"
                + " value.converter=" + STRING_CONVERTER + " (the record value as text) instead of JsonConverter"
                + " with schemas, whose cost caps the whole pipeline below 100,000 records/s on this machine (see the"
                + " trivial connector's throughput): they measure the pacing, not the converter."));
        line("");
        line("| Target/s | achieved/s, median | error, median (worst) | by count/s | records in window | ideal gap ms"
                + " | gap p50 / p99 / max ms | abs deviation p50 / p99 / max ms |");
        line("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, List<Benchmark.RateResult>> entry : byRate.entrySet()) {
            List<Benchmark.RateResult> runs = entry.getValue();
            double target = runs.get(0).target();
            String label = Stats.fmt(target, target < 1 ? 1 : 0) + entry.getKey().replaceFirst("^[^ ]*", "");
            List<Double> errors = runs.stream().map(Benchmark.RateResult::error).toList();
            double worst = errors.stream().mapToDouble(Math::abs).max().orElse(Double.NaN);
            double medianError = Stats.median(errors);
            line("| " + label + " | "
                    + Stats.fmt(Stats.median(runs.stream().map(Benchmark.RateResult::achieved).toList()), 3) + " | "
                    + String.format(Locale.ROOT, "%+.3f%% (%.3f%%)", medianError * 100, worst * 100) + " | "
                    + Stats.fmt(Stats.median(runs.stream().map(Benchmark.RateResult::countRate).toList()), 2) + " | "
                    + Stats.fmt(Stats.median(runs.stream().map(r -> (double) r.recordsInWindow()).toList()), 0)
                    + " | " + Stats.fmt(1000 / target, 2) + " | "
                    + triple(runs, Benchmark.RateResult::gapP50, Benchmark.RateResult::gapP99,
                    Benchmark.RateResult::gapMax) + " | "
                    + triple(runs, Benchmark.RateResult::deviationP50, Benchmark.RateResult::deviationP99,
                    Benchmark.RateResult::deviationMax) + " |");
            if (target >= 1) {
                targets.add(new String[] {"Achieved rate within 0.5% of target at " + label + "/s",
                    worst <= 0.005 ? "met" : "MISSED", String.format(Locale.ROOT, "worst %.3f%%", worst * 100)});
            }
            if (target == 100) {
                double p99 = Stats.median(runs.stream().map(Benchmark.RateResult::deviationP99).toList());
                double idealP99 = Stats.median(runs.stream().filter(r -> r.idealDeviations() != null)
                        .map(r -> r.idealDeviations()[1]).toList());
                targets.add(new String[] {"p99 gap deviation under 5 ms at 100/s", p99 < 5 ? "met" : "MISSED",
                    "median p99 " + Stats.fmt(p99, 1) + " ms (ideal parking thread, same moment: "
                        + Stats.fmt(idealP99, 1) + " ms)"});
                if (worst > 0.05) {
                    failures.add("rate 100/s: achieved " + runs.get(0).achieved() + " (more than 5% off)");
                }
            }
        }
        line("");
        List<double[]> ideal = byRate.getOrDefault(rateKey(100.0, ""), List.of()).stream()
                .map(Benchmark.RateResult::idealDeviations)
                .filter(d -> d != null).toList();
        if (!ideal.isEmpty()) {
            line("Timing baseline, same JVM, same windows: a thread that only parks until `start + n / 100` and"
                    + " stamps its wake-up (`IdealPacer`) deviates from the 10 ms gap by p50 / p99 / max "
                    + Stats.fmt(Stats.median(ideal.stream().map(d -> d[0]).toList()), 1) + " / "
                    + Stats.fmt(Stats.median(ideal.stream().map(d -> d[1]).toList()), 1) + " / "
                    + Stats.fmt(Stats.max(ideal.stream().map(d -> d[2]).toList()), 1) + " ms with millisecond"
                    + " stamps (" + Stats.fmt(Stats.median(ideal.stream().map(d -> d[3]).toList()), 2) + " / "
                    + Stats.fmt(Stats.median(ideal.stream().map(d -> d[4]).toList()), 2) + " / "
                    + Stats.fmt(Stats.max(ideal.stream().map(d -> d[5]).toList()), 2) + " ms by nanoTime): what"
                    + " the machine's scheduler and the JVM's pauses allowed any pacer at that moment.");
            line("");
        }
    }

    /**
     * Writes the bundled sample to the work directory, for the trivial connector: generated by the plugin's own
     * class, loaded from the plugin directory (the connector is not on this JVM's class path).
     */
    private Path writeBundledSample() throws Exception {
        Path csv = workDir.resolve("bundled-sample.csv");
        List<java.net.URL> jars = new ArrayList<>();
        for (Path jar : Benchmark.pluginJars(pluginDir)) {
            jars.add(jar.toUri().toURL());
        }
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(jars.toArray(new java.net.URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            byte[] bytes = (byte[]) loader.loadClass("io.github.csvsampling.connect.sample.SyntheticStockIndexData")
                    .getMethod("csv").invoke(null);
            Files.write(csv, bytes);
        }
        return csv;
    }

    private void measureRates(Benchmark bench, int repeat, List<Double> group, Map<String, String> overrides,
                              String label, Map<String, List<Benchmark.RateResult>> byRate) {
        progress("rate precision " + repeat + "/" + variant.rateRepeats() + ": " + group + " records/s" + label);
        for (Benchmark.RateResult result : bench.ratePrecision(group, variant.rateSeconds(), overrides)) {
            progress("  -> " + result.target() + "/s: achieved " + Stats.fmt(result.achieved(), 4)
                    + ", |gap - ideal| p99 " + Stats.fmt(result.deviationP99(), 1) + " ms");
            byRate.computeIfAbsent(rateKey(result.target(), label), k -> new ArrayList<>()).add(result);
        }
    }

    private static String rateKey(double rate, String label) {
        return rate + label;
    }

    private void stall(Benchmark bench) {
        if (variant.stallRates().isEmpty()) {
            return;
        }
        line("## Catch-up after a forced 2 s stall (pause, then resume through the REST API)");
        line("");
        line("Burst = the most records emitted ahead of the steady rate after the stall; the documented bound is"
                + " 1 + rate x pacing.max.catchup.ms (default 1 s). The records of the stall beyond the bound are not"
                + " made up: the schedule moves on.");
        line("");
        line("| Rate/s | stall seen, ms | burst, records | bound, records | burst lasted, ms | rate after, /s |");
        line("|---:|---:|---:|---:|---:|---:|");
        for (double rate : variant.stallRates()) {
            progress("stall at " + rate + " records/s");
            Benchmark.StallResult r = bench.stall(rate);
            line("| " + Stats.fmt(rate, 0) + " | " + Stats.fmt(r.stallMillis(), 0) + " | "
                    + Stats.fmt(r.burstRecords(), 0) + " | " + Stats.fmt(r.boundRecords(), 0) + " | "
                    + Stats.fmt(r.burstMillis(), 0) + " | " + Stats.fmt(r.rateAfter(), 1) + " |");
            targets.add(new String[] {"Catch-up burst within the documented bound at " + Stats.fmt(rate, 0) + "/s",
                // Timestamps are in ms: the burst is measured to within rate x 1 ms records.
                r.burstRecords() <= r.boundRecords() + Math.max(1, rate / 1000) ? "met" : "MISSED",
                Stats.fmt(r.burstRecords(), 0) + " vs bound " + Stats.fmt(r.boundRecords(), 0) + " (+-"
                        + Stats.fmt(Math.max(1, rate / 1000), 0) + " resolution)"});
        }
        line("");
    }

    private void firstRecord(Benchmark bench) {
        List<Double> arrival = new ArrayList<>();
        List<Double> stamped = new ArrayList<>();
        for (int i = 0; i < variant.firstRecordRuns(); i++) {
            progress("first record " + (i + 1) + "/" + variant.firstRecordRuns());
            double[] r = bench.firstRecord(Benchmark.ourConfig("t", "random", null, 1, null));
            arrival.add(r[0]);
            stamped.add(r[1]);
        }
        line("## Start-up: bundled sample, from POST /connectors to the first record (" + variant.firstRecordRuns()
                + " runs)");
        line("");
        line("| Measure | ms, median (min-max) |");
        line("|---|---:|");
        line("| first record read by a consumer | " + Stats.spread(arrival, 0) + " |");
        line("| first record's emission timestamp | " + Stats.spread(stamped, 0) + " |");
        line("");
        double median = Stats.median(arrival);
        targets.add(new String[] {"First record within 2 s of connector creation (bundled sample)",
            median < 2000 ? "met" : "MISSED", "median " + Stats.fmt(median, 0) + " ms"});
        if (!(median < 10_000)) {
            failures.add("first record after " + median + " ms");
        }
    }

    private void cpu(Benchmark bench) {
        if (variant.cpuSeconds() == 0) {
            return;
        }
        double rate = 10_000;
        List<Double> oursProcess = new ArrayList<>();
        List<Double> oursThreads = new ArrayList<>();
        List<Double> trivialProcess = new ArrayList<>();
        List<Double> trivialThreads = new ArrayList<>();
        List<Double> idle = new ArrayList<>();
        for (int i = 1; i <= variant.repeats(); i++) {
            progress("CPU " + i + "/" + variant.repeats());
            double idleCpu = bench.idleCpuPerSecond(variant.cpuSeconds());
            idle.add(idleCpu * 100);
            double[] ours = bench.cpuPer1000(Benchmark.ourConfig("t", "random", null, rate, null), rate,
                    variant.cpuSeconds(), idleCpu);
            double[] trivial = bench.cpuPer1000(Benchmark.trivialConfig("t", bundledCsv, rate), rate, variant.cpuSeconds(),
                    idleCpu);
            oursProcess.add(ours[0]);
            oursThreads.add(ours[1]);
            trivialProcess.add(trivial[0]);
            trivialThreads.add(trivial[1]);
        }
        line("## CPU per 1,000 records/s (at 10,000 records/s, " + variant.cpuSeconds() + " s windows, "
                + variant.repeats() + " runs; % of one core)");
        line("");
        line("Whole JVM = broker + worker + task, minus the idle JVM (median idle " + Stats.fmt(Stats.median(idle), 1)
                + "% of a core); connector threads = the task thread and its producer's network thread.");
        line("");
        line("| Subject | whole JVM, median (min-max) | connector threads, median (min-max) |");
        line("|---|---:|---:|");
        line("| ours, random, bundled sample | " + Stats.spread(oursProcess, 2) + " | " + Stats.spread(oursThreads, 2)
                + " |");
        line("| trivial connector, paced | " + Stats.spread(trivialProcess, 2) + " | "
                + Stats.spread(trivialThreads, 2) + " |");
        line("");
    }

    private void heap(Path large) throws IOException, InterruptedException {
        line("## Heap (child JVM with -Xmx256m: connector + task started as a worker would, no Kafka)");
        line("");
        line("Retained = heap used after full GCs once the task has started and emitted its first record, minus"
                + " the same JVM's heap before loading. Task-only rate = records/s of poll() alone (sampling, reading,"
                + " parsing and typing rows, building SourceRecords), with no converter or producer behind it. Peak heap"
                + " is the sum of each heap pool's own peak (not simultaneous: it can exceed -Xmx).");
        line("");
        line("| Dataset, mode | runs OK at 256 MB | retained after load, MiB | peak heap, MiB | start to first"
                + " record, ms | task-only records/s | CPU us/record |");
        line("|---|---|---:|---:|---:|---:|---:|");
        List<String[]> probes = new ArrayList<>();
        List<String> sampleModes = variant.name().equals("quick") ? List.of("random") : Variant.MODES;
        for (String mode : sampleModes) {
            probes.add(new String[] {"bundled", mode});
        }
        for (String mode : variant.name().equals("quick") ? List.of("random") : List.of("random", "replay")) {
            probes.add(new String[] {large.toAbsolutePath().toString(), mode});
        }
        for (String[] probe : probes) {
            List<Map<String, String>> runs = new ArrayList<>();
            boolean bundled = probe[0].equals("bundled");
            int repeats = bundled ? variant.heapProbeRuns()
                    : probe[1].equals("replay") ? 1 : Math.min(2, variant.heapProbeRuns());
            for (int i = 0; i < repeats; i++) {
                progress("heap probe " + (bundled ? "bundled" : "large") + " " + probe[1] + " " + (i + 1) + "/"
                        + repeats);
                runs.add(Benchmark.heapProbe(pluginDir, probe[0], probe[1], variant.heapProbeRecords(), 256));
            }
            boolean ok = runs.stream().allMatch(r -> "0".equals(r.get("exitCode"))
                    && Long.parseLong(r.getOrDefault("sampled", "0")) >= variant.heapProbeRecords());
            String label = (bundled ? "bundled sample" : variant.largeRows() + "-row file") + ", " + probe[1];
            line("| " + label + " | " + (ok ? "yes" : "NO: " + runs.get(0).getOrDefault("error", "")) + " | "
                    + Stats.spread(values(runs, "retainedAfterLoadBytes", 1.0 / (1 << 20)), 1) + " | "
                    + Stats.spread(values(runs, "peakHeapBytes", 1.0 / (1 << 20)), 0) + " | "
                    + Stats.spread(values(runs, "firstRecordMillis", 1), 0) + " | "
                    + Stats.spread(values(runs, "taskOnlyRecordsPerSecond", 1), 0) + " | "
                    + Stats.fmt(Stats.median(values(runs, "cpuNanosPerRecord", 1e-3)), 2) + " |");
            if (!ok) {
                failures.add("heap probe " + label + " failed: " + runs);
            }
            if (!bundled) {
                targets.add(new String[] {"Large file (" + variant.largeRows() + " rows, " + probe[1]
                        + ") samples with a heap under 256 MB", ok ? "met" : "MISSED",
                    "retained " + Stats.fmt(Stats.median(values(runs, "retainedAfterLoadBytes", 1.0 / (1 << 20))), 1)
                        + " MiB, ran at -Xmx256m: " + ok});
            }
        }
        line("");
    }

    /**
     * Time from a task's start to its first record, each mode, bundled sample and large file, in child JVMs capped at
     * 256 MB (the heap probe without its sampling phase), with the page cache warm (the file was just written or
     * read). With a baseline plugin, each run of ours is followed by the same run of the baseline, so both see the
     * machine in the same state; the ratio is the median of those pairs' ratios. Then the same with the load on one
     * thread ({@code csv.sampling.load.threads=1}), and two tasks of one connector starting together.
     */
    private void taskStart(Path large) throws IOException, InterruptedException {
        boolean withBaseline = baselinePluginDir != null;
        line("## Task start: from the task's start() to its first record (" + variant.startRuns() + " runs each)");
        line("");
        line("Each run is a child JVM with -Xmx256m that creates the connector and its task as a worker does (connector"
                + " started and task configs taken first, not counted), then times the task's start() and its polls until"
                + " the first record; page cache warm. This is the outage of a task that a rebalance moves or a restart"
                + " restarts. CPU: of the thread that starts the task, and of the whole JVM over the same time (the"
                + " load's second thread, GC and JIT included)."
                + (withBaseline ? " Before: the plugin in " + baselinePluginDir + ", run right after ours in every"
                + " round; before / after is the median of the per-round ratios." : ""));
        line("");
        line("| Dataset, mode | " + (withBaseline ? "before, ms median (min-max) | " : "")
                + "after, ms median (min-max) | " + (withBaseline ? "before / after | " : "")
                + "after, one load thread, ms | after: CPU ms, task thread / JVM | after: retained heap, MiB |"
                + " after: peak heap, MiB |");
        line("|---|" + (withBaseline ? "---:|" : "") + "---:|" + (withBaseline ? "---:|" : "")
                + "---:|---:|---:|---:|");
        List<String[]> probes = new ArrayList<>();
        for (String mode : Variant.MODES) {
            probes.add(new String[] {"bundled", mode});
        }
        for (String mode : Variant.MODES) {
            probes.add(new String[] {large.toAbsolutePath().toString(), mode});
        }
        for (String[] probe : probes) {
            boolean bundled = probe[0].equals("bundled");
            String label = (bundled ? "bundled sample" : variant.largeRows() + "-row file") + ", " + probe[1];
            List<Map<String, String>> ours = new ArrayList<>();
            List<Map<String, String>> oneThread = new ArrayList<>();
            List<Map<String, String>> before = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < variant.startRuns(); i++) {
                progress("task start " + label + " " + (i + 1) + "/" + variant.startRuns());
                Map<String, String> run = Benchmark.heapProbe(pluginDir, probe[0], probe[1], 0, 256);
                ours.add(run);
                checkStarted(label, run);
                if (!bundled) {
                    Map<String, String> single = Benchmark.heapProbe(pluginDir, probe[0], probe[1], 0, 256, 1,
                            List.of("-Dcsv.sampling.load.threads=1"));
                    oneThread.add(single);
                    checkStarted(label + ", one thread", single);
                }
                if (withBaseline) {
                    Map<String, String> old = Benchmark.heapProbe(baselinePluginDir, probe[0], probe[1], 0, 256);
                    before.add(old);
                    ratios.addAll(ratio(old, run));
                }
                progress("  -> " + run.get("taskFirstRecordMillis") + " ms" + (bundled ? "" : ", one thread "
                        + oneThread.get(oneThread.size() - 1).get("taskFirstRecordMillis") + " ms") + (withBaseline
                        ? " (before: " + before.get(before.size() - 1).getOrDefault("firstRecordMillis",
                        before.get(before.size() - 1).get("error")) + " ms)" : ""));
            }
            List<Double> after = values(ours, "taskFirstRecordMillis", 1);
            line("| " + label + " | "
                    + (withBaseline ? Stats.spread(values(before, "firstRecordMillis", 1), 0) + " | " : "")
                    + Stats.spread(after, 0) + " | "
                    + (withBaseline ? (ratios.isEmpty() ? "n/a" : Stats.fmt(Stats.median(ratios), 1) + "x") + " | " : "")
                    + (bundled ? "" : Stats.spread(values(oneThread, "taskFirstRecordMillis", 1), 0)) + " | "
                    + Stats.fmt(Stats.median(values(ours, "taskFirstRecordCpuMillis", 1)), 0) + " / "
                    + Stats.fmt(Stats.median(values(ours, "taskFirstRecordProcessCpuMillis", 1)), 0) + " | "
                    + Stats.spread(values(ours, "retainedAfterLoadBytes", 1.0 / (1 << 20)), 1) + " | "
                    + Stats.spread(values(ours, "peakHeapBytes", 1.0 / (1 << 20)), 0) + " |");
            if (!bundled) {
                double median = Stats.median(after);
                targets.add(new String[] {"Task start to first record under 3 s (" + variant.largeRows() + " rows, "
                        + probe[1] + ")", median < 3000 ? "met" : "MISSED", "median " + Stats.fmt(median, 0) + " ms"});
            }
        }
        line("");
        twoTasks(large, withBaseline);
    }

    /** Two tasks of one connector (random mode, large file) starting together in one JVM capped at 256 MB. */
    private void twoTasks(Path large, boolean withBaseline) throws IOException, InterruptedException {
        line("Two tasks of one connector starting together in one child JVM with -Xmx256m (random mode, "
                + variant.largeRows() + "-row file): the slower task's time to its first record, and the heap retained"
                + " with both running (the tasks of a worker share one load of the file).");
        line("");
        line("| Plugin | runs OK at 256 MB | slower task's first record, ms median (min-max) | retained heap, MiB |");
        line("|---|---|---:|---:|");
        List<Map<String, String>> ours = new ArrayList<>();
        List<Map<String, String>> before = new ArrayList<>();
        String csv = large.toAbsolutePath().toString();
        for (int i = 0; i < variant.startRuns(); i++) {
            progress("two tasks " + (i + 1) + "/" + variant.startRuns());
            Map<String, String> run = Benchmark.heapProbe(pluginDir, csv, "random", 0, 256, 2, List.of());
            ours.add(run);
            checkStarted("two tasks", run);
            if (withBaseline) {
                before.add(Benchmark.heapProbe(baselinePluginDir, csv, "random", 0, 256, 2, List.of()));
            }
            progress("  -> " + run.get("taskFirstRecordMillis") + " ms" + (withBaseline ? " (before: "
                    + before.get(before.size() - 1).getOrDefault("firstRecordMillis",
                    before.get(before.size() - 1).get("error")) + " ms)" : ""));
        }
        if (withBaseline) {
            line(twoTaskRow("before", before, "firstRecordMillis"));
        }
        line(twoTaskRow("after", ours, "taskFirstRecordMillis"));
        line("");
    }

    private static String twoTaskRow(String label, List<Map<String, String>> runs, String firstRecordKey) {
        boolean ok = runs.stream().allMatch(r -> "0".equals(r.get("exitCode")));
        return "| " + label + " | " + (ok ? "yes" : "NO: " + runs.stream().map(r -> r.getOrDefault("error", ""))
                .filter(e -> !e.isEmpty()).findFirst().orElse("")) + " | "
                + Stats.spread(values(runs, firstRecordKey, 1), 0) + " | "
                + Stats.spread(values(runs, "retainedAfterLoadBytes", 1.0 / (1 << 20)), 1) + " |";
    }

    private void checkStarted(String label, Map<String, String> run) {
        if (!"0".equals(run.get("exitCode"))) {
            failures.add("task start " + label + " failed: " + run);
        }
    }

    /** Before / after of one round; the baseline's connector does nothing at start, so its whole time is the task's. */
    private static List<Double> ratio(Map<String, String> before, Map<String, String> after) {
        if (!before.containsKey("firstRecordMillis") || !after.containsKey("taskFirstRecordMillis")) {
            return List.of();
        }
        return List.of(Double.parseDouble(before.get("firstRecordMillis"))
                / Double.parseDouble(after.get("taskFirstRecordMillis")));
    }

    private static List<Double> values(List<Map<String, String>> runs, String key, double scale) {
        List<Double> values = new ArrayList<>();
        for (Map<String, String> run : runs) {
            String value = run.get(key);
            if (value != null) {
                values.add(Double.parseDouble(value) * scale);
            }
        }
        return values;
    }

    private void targetsSection() {
        if (variant.name().equals("quick")) {
            line("Quick variant: single short runs without warm-up, for smoke checking only (the targets are judged by"
                    + " the full variant); sanity checks " + (failures.isEmpty() ? "passed." : "FAILED: " + failures));
            return;
        }
        line("## Targets");
        line("");
        line("| Target | status | measured |");
        line("|---|---|---|");
        for (String[] target : targets) {
            line("| " + target[0] + " | " + target[1] + " | " + target[2] + " |");
        }
        line("");
    }

    private static String triple(List<Benchmark.RateResult> runs,
                                 java.util.function.Function<Benchmark.RateResult, Double> a,
                                 java.util.function.Function<Benchmark.RateResult, Double> b,
                                 java.util.function.Function<Benchmark.RateResult, Double> c) {
        double x = Stats.median(runs.stream().map(a).toList());
        if (Double.isNaN(x)) {
            return "n/a";
        }
        return Stats.fmt(x, 1) + " / " + Stats.fmt(Stats.median(runs.stream().map(b).toList()), 1) + " / "
                + Stats.fmt(Stats.max(runs.stream().map(c).toList()), 1);
    }

    /** Writes the report so far, so that an interrupted full run still leaves its finished sections. */
    private void flush() throws IOException {
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report, StandardCharsets.UTF_8);
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    private static void progress(String what) {
        System.err.println("[benchmark " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"))
                + "] " + what);
    }
}
