package io.github.csvsampling.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The timing baseline of the rate-precision test: a thread of the benchmark JVM that does nothing but wake up at
 * {@code start + n / rate} (absolute schedule, {@code LockSupport.parkNanos}) and note when it woke, at the same
 * time as the connectors run. Its gap deviations are what the machine's scheduler and the JVM's pauses allow any
 * pacer on this machine at that moment; the connector cannot be expected to do better.
 */
final class IdealPacer implements AutoCloseable {

    private final double rate;
    private final Thread thread;
    private final long[] wallMillis = new long[1 << 20];
    private final long[] nanos = new long[1 << 20];
    private volatile boolean stop;
    private int count;

    IdealPacer(double rate) {
        this.rate = rate;
        this.thread = new Thread(this::run, "ideal-pacer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long start = System.nanoTime();
        long period = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        for (long n = 0; !stop && count < nanos.length; n++) {
            long due = start + n * period;
            long wait;
            while (!stop && (wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            nanos[count] = System.nanoTime();
            wallMillis[count] = System.currentTimeMillis();
            count++;
        }
    }

    /** p50, p99 and max of |gap - ideal| in ms, from millisecond wall-clock stamps and from nanoTime. */
    double[] deviations(long fromWallMillis, long toWallMillis) {
        int n = count;
        double ideal = 1000.0 / rate;
        double[] ms = new double[n];
        double[] ns = new double[n];
        int k = 0;
        for (int i = 1; i < n; i++) {
            if (wallMillis[i - 1] >= fromWallMillis && wallMillis[i] <= toWallMillis) {
                ms[k] = Math.abs(wallMillis[i] - wallMillis[i - 1] - ideal);
                ns[k] = Math.abs((nanos[i] - nanos[i - 1]) / 1e6 - ideal);
                k++;
            }
        }
        return new double[] {Stats.percentile(ms.clone(), k, 50), Stats.percentile(ms.clone(), k, 99),
            Stats.percentile(ms.clone(), k, 100), Stats.percentile(ns.clone(), k, 50),
            Stats.percentile(ns.clone(), k, 99), Stats.percentile(ns.clone(), k, 100)};
    }

    @Override
    public void close() {
        stop = true;
        LockSupport.unpark(thread);
    }
}
