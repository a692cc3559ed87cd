package io.github.csvsampling.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.csvsampling.stack.ConnectRestClient;
import io.github.csvsampling.stack.LocalConnectWorker;
import io.github.csvsampling.stack.LocalKafka;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's own cost with the stream at 1,000 records/s (issue 12): the console runs in a child JVM, as on its
 * own ({@code PipelineConsole.main}), against the in-JVM broker and worker of this process, with our connector
 * writing the project's stock-quotes source config at the rate, no S3 sink (so the console also writes the topic's
 * records as the sink would and queries them: its heaviest set-up), and its page open on the stream view in
 * headless Chromium (every chart drawing). Measured, in rounds of {@code --window} seconds after a warm-up:
 * <ul>
 *   <li>the console process's CPU (user + system, from the OS: JIT and GC included) as a share of one core, with
 *       the stream and, as a baseline in the same run, with the source paused;</li>
 *   <li>the page: long tasks (main thread busy over 50 ms) and the worst event-loop delay of a 100 ms timer,
 *       the time from clicking a view's tab to its next frame, the points each chart holds and the JS heap, at
 *       the start and the end (bounded windows: they must not grow).</li>
 * </ul>
 * Arguments: {@code --plugin-dir DIR --work-dir DIR --output FILE} and optionally {@code --rate 1000 --rounds 5
 * --window 120 --warmup 60} (about 13 minutes). Needs Debian's chromium and chromium-driver.
 */
public final class ConsoleBenchmark {

    private static final String TOPIC = "stock-quotes";
    private static final String SOURCE = "stock-quotes-source";

    private final StringBuilder report = new StringBuilder();

    private ConsoleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path pluginDir = Path.of(options.getOrDefault("plugin-dir", "csv-sampling-source-connector/target/plugin"));
        Path work = Path.of(options.getOrDefault("work-dir", "benchmarks/target/benchmark-console-work"));
        Path output = Path.of(options.getOrDefault("output", "benchmarks/target/benchmark-console.md"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "1000"));
        // 60 s + 5 x 120 s: longer than the charts' 10-minute window, to show that they stop growing.
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
        int window = Integer.parseInt(options.getOrDefault("window", "120"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "60"));
        ConsoleBenchmark bench = new ConsoleBenchmark();
        bench.run(pluginDir, work, rate, rounds, window, warmup);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, bench.report, StandardCharsets.UTF_8);
        System.out.println(bench.report);
        System.out.println("Report written to " + output.toAbsolutePath());
        System.exit(0); // Kafka and Connect leave non-daemon threads behind
    }

    private void run(Path pluginDir, Path work, double rate, int rounds, int window, int warmup) throws Exception {
        line("# The console at " + Stats.fmt(rate, 0) + " records/s");
        line("");
        line("Run " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + "; "
                + Runtime.getRuntime().availableProcessors() + " cores; Java " + System.getProperty("java.vm.version")
                + "; load average at start " + Stats.fmt(ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage(), 2) + ". " + rounds + " rounds of " + window + " s after " + warmup
                + " s of warm-up.");
        line("");
        Files.createDirectories(work);
        Path bucket = Files.createDirectories(work.resolve("bucket/stock-quotes"));
        LocalKafka.Builder broker = LocalKafka.builder();
        if (Files.isWritable(Path.of("/dev/shm"))) {
            broker.tempDirParent(Path.of("/dev/shm"));
        }
        try (LocalKafka kafka = broker.start();
             LocalConnectWorker worker = LocalConnectWorker.builder(kafka.bootstrapServers())
                     .pluginPath(List.of(pluginDir)).exactlyOnceSourceSupport(true).start()) {
            kafka.createTopic(TOPIC, 1);
            ConnectRestClient rest = worker.restClient();
            Map<String, String> source = sourceConfig(rate);
            rest.createConnector(SOURCE, source);
            rest.awaitConnectorRunning(SOURCE, 1, Duration.ofSeconds(60));
            Process console = startConsole(worker.restUrl(), kafka.bootstrapServers(), bucket, work);
            try {
                String url = consoleUrl(console);
                measure(console, url, rest, rate, rounds, window, warmup);
            } finally {
                console.destroy();
                console.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private void measure(Process console, String url, ConnectRestClient rest, double rate, int rounds, int window,
                         int warmup) throws Exception {
        ChromeOptions chrome = new ChromeOptions();
        chrome.setBinary(System.getProperty("chrome.binary", "/usr/bin/chromium"));
        Path profile = Files.createTempDirectory("console-bench-chromium-");
        chrome.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--enable-precise-memory-info", "--user-data-dir=" + profile, "--window-size=1400,1000");
        ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(
                Path.of(System.getProperty("chromedriver", "/usr/bin/chromedriver")).toFile()).build(), chrome);
        try {
            driver.get(url + "#stream");
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "true".equals(
                    d.findElement(By.tagName("body")).getAttribute("data-ready")));
            JavascriptExecutor js = driver;
            js.executeScript(INSTRUMENT);
            progress("warm-up " + warmup + " s");
            Thread.sleep(warmup * 1000L);
            Map<String, Object> start = page(js);

            List<Double> busy = new ArrayList<>();
            List<Double> achieved = new ArrayList<>();
            List<Double> longTaskShare = new ArrayList<>();
            List<Double> maxLag = new ArrayList<>();
            List<Double> eventMs = new ArrayList<>();
            List<Double> eventMaxMs = new ArrayList<>();
            List<Double> eventShare = new ArrayList<>();
            List<Double> switchMs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                progress("round " + round + "/" + rounds + ": " + window + " s at " + Stats.fmt(rate, 0)
                        + " records/s");
                js.executeScript("window.__bench.reset(); window.consoleEventTime = {count: 0, totalMs: 0, maxMs: 0}");
                double cpu = cpuShare(console, window);
                Map<String, Object> metrics = page(js);
                busy.add(cpu);
                achieved.add(Double.parseDouble(String.valueOf(metrics.get("achieved"))));
                longTaskShare.add(number(metrics, "longTaskMs") / (window * 1000.0));
                maxLag.add(number(metrics, "maxLag"));
                eventMs.add(number(metrics, "eventTotalMs") / Math.max(1, number(metrics, "events")));
                eventMaxMs.add(number(metrics, "eventMaxMs"));
                eventShare.add(number(metrics, "eventTotalMs") / (window * 1000.0));
                switchMs.add(switchViews(js));
            }
            Map<String, Object> end = page(js);

            progress("baseline: the source paused, the page open");
            rest.pause(SOURCE);
            rest.awaitState(SOURCE, "PAUSED", 1, Duration.ofSeconds(30));
            Thread.sleep(15_000);
            double idle = cpuShare(console, window);
            rest.resume(SOURCE);

            line("| Figure | Value: median (min-max) over " + rounds + " rounds | Target |");
            line("|---|---|---|");
            line("| Stream rate seen by the console (records/s, last 10 s) | " + Stats.spread(achieved, 0) + " | "
                    + Stats.fmt(rate, 0) + " |");
            line("| Console process CPU, stream at " + Stats.fmt(rate, 0) + " records/s (% of one core) | "
                    + spreadPct(busy) + " | under 10% " + (Stats.median(busy) < 0.10 ? "(met)" : "(MISSED)") + " |");
            line("| Console process CPU, source paused, page open (% of one core) | " + Stats.pct(idle) + " | |");
            line("| Page: main thread in long tasks (> 50 ms), share of the time | " + spreadPct(longTaskShare)
                    + " | |");
            line("| Page: handling one pushed event (tables and every chart redrawn), mean / worst (ms) | "
                    + Stats.spread(eventMs, 2) + " / " + Stats.spread(eventMaxMs, 1) + " | |");
            line("| Page: main thread handling pushed events, share of the time | " + spreadPct(eventShare) + " | |");
            line("| Page: worst delay of a 100 ms timer (ms; includes waiting for a core on this machine) | "
                    + Stats.spread(maxLag, 0) + " | |");
            line("| Page: click on a view's tab to its next frame, Lake then Stream (ms) | "
                    + Stats.spread(switchMs, 0) + " | under 100 ms " + (Stats.median(switchMs) < 100 ? "(met)"
                    : "(MISSED)") + " |");
            line("| Page: most points in a chart of the stream view, after warm-up / at the end | "
                    + start.get("points") + " / " + end.get("points") + " | at most 600 (10 min of seconds) |");
            line("| Page: JS heap after warm-up / at the end (MB) | " + Stats.fmt(number(start, "heap") / 1e6, 1)
                    + " / " + Stats.fmt(number(end, "heap") / 1e6, 1) + " | bounded |");
            line("| Console process resident memory at the end (MB) | " + Stats.fmt(rssMb(console), 0) + " | |");
            line("");
            line("The console's CPU includes everything it does at this rate: reading the topic (read_committed),"
                    + " the per-second statistics, pushing them to the page, polling Connect every 2 s, listing the"
                    + " bucket every 5 s, and, with no S3 sink, writing every record as the sink would and running"
                    + " the six queries on DuckDB over them at most every 30 s (or 20 times their last duration).");
        } finally {
            driver.quit();
            try (java.util.stream.Stream<Path> files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The console process's CPU time over {@code seconds} of wall time, as a share of one core. */
    private static double cpuShare(Process console, int seconds) throws InterruptedException {
        long cpu0 = cpuNanos(console);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpu1 = cpuNanos(console);
        return (cpu1 - cpu0) / (double) (System.nanoTime() - t0);
    }

    private static long cpuNanos(Process process) {
        return process.toHandle().info().totalCpuDuration().orElseThrow(() -> new IllegalStateException(
                "The OS does not report the console's CPU time")).toNanos();
    }

    private static double rssMb(Process process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Double.NaN;
    }

    /** Clicks Lake, then Stream, and returns the mean time from a click to the next frame showing the view. */
    private static double switchViews(JavascriptExecutor js) {
        Object ms = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const click = (view) => new Promise((resolve) => { const t0 = performance.now();"
                + " document.querySelector('#nav-' + view).click();"
                + " requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0))); });"
                + "(async () => { const a = await click('lake'); await new Promise(r => setTimeout(r, 2000));"
                + " const b = await click('stream'); done((a + b) / 2); })();");
        return ((Number) ms).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> page(JavascriptExecutor js) {
        return (Map<String, Object>) js.executeScript("return {longTaskMs: window.__bench.longTaskMs,"
                + " maxLag: window.__bench.maxLag, heap: performance.memory ? performance.memory.usedJSHeapSize : 0,"
                + " events: window.consoleEventTime.count, eventTotalMs: window.consoleEventTime.totalMs,"
                + " eventMaxMs: window.consoleEventTime.maxMs,"
                + " points: Math.max(0, ...window.consoleChartPoints('#view-stream')),"
                + " achieved: document.querySelector('#rate-chart').dataset.lastAchieved || '0'}");
    }

    private static double number(Map<String, Object> metrics, String key) {
        return ((Number) metrics.get(key)).doubleValue();
    }

    private static final String INSTRUMENT = "window.__bench = {longTaskMs: 0, maxLag: 0,"
            + " reset() { this.longTaskMs = 0; this.maxLag = 0; }};"
            + "new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.longTaskMs +="
            + " e.duration; }).observe({entryTypes: ['longtask']});"
            + "let last = performance.now();"
            + "setInterval(() => { const now = performance.now(); window.__bench.maxLag = Math.max("
            + "window.__bench.maxLag, now - last - 100); last = now; }, 100);";

    /** The project's stock-quotes source, at the rate. */
    private static Map<String, String> sourceConfig(double rate) throws IOException {
        JsonNode file = ConnectRestClient.json().readTree(Path.of("connect-configs/stock-quotes-source.config.json")
                .toFile());
        Map<String, String> config = new LinkedHashMap<>();
        file.properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        config.remove("name");
        config.put("records.per.second", Stats.fmt(rate, 0).replace(",", ""));
        return config;
    }

    private static Process startConsole(String connectUrl, String bootstrap, Path bucket, Path work)
            throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.github.csvsampling.console.PipelineConsole", "--connect-url", connectUrl, "--bootstrap", bootstrap,
                "--bucket-dir", bucket.toString(), "--cache-dir", work.resolve("console-cache").toString(),
                "--athena-ddl", "athena-ddl.sql", "--athena-queries", "athena-queries.sql", "--port", "0");
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the console's output until it prints its URL, then keeps draining it in the background. */
    private static String consoleUrl(Process console) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(console.getInputStream(),
                StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            System.err.println("console: " + line);
            if (line.startsWith("Pipeline console: ")) {
                String url = line.substring("Pipeline console: ".length()).split("\\s+")[0];
                Thread drain = new Thread(() -> {
                    try {
                        for (String l = out.readLine(); l != null; l = out.readLine()) {
                            System.err.println("console: " + l);
                        }
                    } catch (IOException e) {
                        // the console stopped
                    }
                }, "console-output");
                drain.setDaemon(true);
                drain.start();
                return url;
            }
        }
        throw new IllegalStateException("The console ended before printing its URL");
    }

    private static String spreadPct(List<Double> ratios) {
        return Stats.pct(Stats.median(ratios)) + " (" + Stats.pct(Stats.min(ratios)) + "-"
                + Stats.pct(Stats.max(ratios)) + ")";
    }

    private void line(String text) {
        report.append(text).append('\n');
    }

    private static void progress(String text) {
        System.err.println("[console benchmark] " + text);
    }
}
