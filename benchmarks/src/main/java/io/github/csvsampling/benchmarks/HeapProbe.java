package io.github.csvsampling.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.csvsampling.stack.StandaloneTaskContext;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * The main of a child JVM, started by the benchmark with a heap cap ({@code -Xmx256m}) and a class path of
 * connect-api, kafka-clients and the packaged plugin directory only. It runs our task without a worker: creates
 * the connector and task the way a worker does, starts the task (the whole file is read and indexed), waits for
 * the first record, measures the heap retained after a full GC, then samples {@code records} records as fast as
 * {@code poll()} returns them, with no Kafka behind it, and prints {@code key=value} lines. The connector's start
 * and the task's start (to its first record) are timed apart, in wall time and in CPU time of the thread that
 * starts them: on a worker, tasks are started from stored configurations without the connector (a rebalance, a
 * task restart), so the task's own start is what users wait for.
 *
 * <p>With a fourth argument above 1, that many tasks of the connector start at the same time, each on a thread of
 * its own, as a worker starts the tasks it is assigned; the task figures are then the slowest task's, and the
 * sampling phase samples task 0.
 *
 * <p>Arguments: {@code <csv path or "bundled"> <sampling mode> <records to sample, 0 for none> [tasks]}.
 */
public final class HeapProbe {

    private HeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        String csv = args[0];
        String mode = args[1];
        long records = Long.parseLong(args[2]);
        int taskCount = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        long baseline = usedAfterGc();

        Map<String, String> props = new HashMap<>();
        props.put("name", "heap-probe");
        props.put("topic", "heap-probe");
        props.put("sampling.mode", mode);
        props.put("records.per.second", "10000000");
        props.put("batch.size", "10000");
        props.put("random.seed", "42");
        if (!"bundled".equals(csv)) {
            props.put("csv.path", csv);
        }
        if ("replay".equals(mode)) {
            props.put("replay.time.column", "Date");
            props.put("replay.speed", "1000000000000");
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        SourceConnector connector = (SourceConnector) Class
                .forName("io.github.csvsampling.connect.CsvSamplingSourceConnector").getDeclaredConstructor()
                .newInstance();
        connector.start(props);
        List<Map<String, String>> taskProps = connector.taskConfigs(taskCount);
        long connectorStarted = System.nanoTime();
        SourceTask[] tasks = new SourceTask[taskCount];
        for (int i = 0; i < taskCount; i++) {
            tasks[i] = (SourceTask) Class.forName("io.github.csvsampling.connect.CsvSamplingSourceTask")
                    .getDeclaredConstructor().newInstance();
            tasks[i].initialize(new StandaloneTaskContext(Map.of()));
        }
        SourceTask task = tasks[0];
        long[] taskStarted = new long[taskCount];
        long[] taskFirst = new long[taskCount];
        long[] taskCpu = new long[taskCount];
        List<List<SourceRecord>> firsts = new java.util.ArrayList<>(java.util.Collections.nCopies(taskCount, null));
        long processCpu0 = processCpuNanos();
        long taskStart = System.nanoTime();
        Thread[] starters = new Thread[taskCount];
        Throwable[] failures = new Throwable[taskCount];
        for (int i = 0; i < taskCount; i++) {
            int id = i;
            starters[i] = new Thread(() -> {
                try {
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    tasks[id].start(taskProps.get(id));
                    taskStarted[id] = System.nanoTime();
                    List<SourceRecord> batch;
                    do {
                        batch = tasks[id].poll();
                    } while (batch == null || batch.isEmpty());
                    taskFirst[id] = System.nanoTime();
                    taskCpu[id] = threads.getCurrentThreadCpuTime() - cpu0;
                    firsts.set(id, batch);
                } catch (Throwable e) {
                    failures[id] = e;
                }
            }, "task-" + i);
            starters[i].start();
        }
        for (int i = 0; i < taskCount; i++) {
            starters[i].join();
            if (failures[i] != null) {
                throw new IllegalStateException("task " + i + " failed to start", failures[i]);
            }
        }
        long started = java.util.Arrays.stream(taskStarted).max().getAsLong();
        long firstRecord = java.util.Arrays.stream(taskFirst).max().getAsLong();
        long processCpu1 = processCpuNanos();
        long taskCpuMax = java.util.Arrays.stream(taskCpu).max().getAsLong();
        List<SourceRecord> first = firsts.get(0);
        long retained = usedAfterGc();

        long sampled = first.size();
        long cpu0 = processCpuNanos();
        long s0 = System.nanoTime();
        long checksum = 0;
        while (sampled < records) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                sampled += batch.size();
                checksum += batch.get(batch.size() - 1).value().hashCode();
            }
        }
        long s1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        long afterSampling = usedAfterGc();
        for (SourceTask each : tasks) {
            each.stop();
        }
        connector.stop();

        System.out.println("baselineBytes=" + baseline);
        System.out.println("retainedAfterLoadBytes=" + (retained - baseline));
        System.out.println("retainedAfterSamplingBytes=" + (afterSampling - baseline));
        System.out.println("heapUsedAfterLoadBytes=" + retained);
        System.out.println("peakHeapBytes=" + peakHeap());
        System.out.println("maxHeapBytes=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
        System.out.println("startMillis=" + (started - t0) / 1e6);
        System.out.println("firstRecordMillis=" + (firstRecord - t0) / 1e6);
        System.out.println("connectorStartMillis=" + (connectorStarted - t0) / 1e6);
        System.out.println("taskFirstRecordMillis=" + (firstRecord - taskStart) / 1e6);
        System.out.println("taskFirstRecordCpuMillis=" + taskCpuMax / 1e6);
        System.out.println("taskFirstRecordProcessCpuMillis=" + (processCpu1 - processCpu0) / 1e6);
        System.out.println("sampled=" + sampled);
        System.out.println("taskOnlyRecordsPerSecond=" + (sampled - first.size()) * 1e9 / Math.max(1, s1 - s0));
        System.out.println("cpuNanosPerRecord=" + (cpu1 - cpu0) / (double) Math.max(1, sampled - first.size()));
        System.out.println("checksum=" + checksum);
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
