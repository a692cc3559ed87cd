package io.github.csvsampling.benchmarks;

import java.util.List;

/**
 * How much a run measures. {@code quick} is a smoke check for CI (under two minutes, loose sanity assertions
 * only); {@code full} measures every figure of docs/benchmarks.md (about 30 minutes on 2 cores).
 *
 * @param repeats          rounds of the throughput comparison (each round runs every subject once)
 * @param warmupSeconds    seconds from the first record to the start of a throughput window
 * @param windowSeconds    length of a throughput window
 * @param largeRows        rows of the generated large file
 * @param largeModes       sampling modes run on the large file
 * @param rateGroups       rates (records/s) of the precision test; rates in one group run at the same time
 * @param stringConverterRates rates of the precision test run again, each alone, with the standard
 *                         StringConverter instead of JsonConverter with schemas: rates above what the JSON pipeline
 *                         carries on this machine, to measure the pacing rather than the converter's ceiling
 * @param rateSeconds      length of a rate-precision window
 * @param rateRepeats      repetitions of the rate-precision test
 * @param stallRates       rates of the stall test (0 to skip)
 * @param firstRecordRuns  repetitions of the time-to-first-record test on the bundled sample
 * @param cpuSeconds       window of the CPU test (0 to skip)
 * @param heapProbeRecords records each heap probe samples
 * @param heapProbeRuns    repetitions of each heap probe
 * @param startRuns        repetitions of each task start (each mode, both datasets; with a baseline plugin, each
 *                         repetition starts the baseline's task right after ours)
 */
record Variant(String name, int repeats, int warmupSeconds, int windowSeconds, long largeRows, List<String> largeModes,
               List<List<Double>> rateGroups, List<Double> stringConverterRates, int rateSeconds, int rateRepeats,
               List<Double> stallRates, int firstRecordRuns, int cpuSeconds, long heapProbeRecords, int heapProbeRuns,
               int startRuns) {

    static final List<String> MODES = List.of("random", "shuffle", "sequential", "replay");

    static Variant of(String name) {
        switch (name) {
            case "quick":
                return new Variant("quick", 1, 1, 2, 200_000, List.of(), List.of(List.of(100.0)), List.of(), 5, 1,
                        List.of(), 1, 0, 200_000, 1, 1);
            case "full":
                return new Variant("full", 5, 3, 10, 10_000_000, MODES,
                        List.of(List.of(0.5, 1.0, 10.0, 100.0, 1_000.0), List.of(10_000.0), List.of(100_000.0)),
                        List.of(100_000.0), 30,
                        2, List.of(100.0, 1_000.0, 10_000.0), 5, 10, 2_000_000, 3, 3);
            default:
                throw new IllegalArgumentException("Unknown variant '" + name + "': quick or full");
        }
    }
}
