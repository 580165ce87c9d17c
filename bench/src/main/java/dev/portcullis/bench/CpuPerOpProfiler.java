package dev.portcullis.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per benchmark operation, which a machine shared with other work disturbs far less than
 * wall-clock time. {@code cpu.process} is the forked JVM's CPU time over the iteration (every thread)
 * divided by the operations JMH counted. On Linux it is also split by thread, from
 * {@code /proc/self/task/*&#47;schedstat} (nanoseconds on the CPU) and the thread's name:
 * {@code cpu.bench} (JMH's benchmark threads), {@code cpu.audit-writer} ({@code audit-writer-*}),
 * {@code cpu.jit} (compiler threads), {@code cpu.gc} (GC threads) and {@code cpu.other} (the rest,
 * including threads that ended during the iteration). Usage: {@code -prof dev.portcullis.bench.CpuPerOpProfiler}.
 *
 * <p>The iteration's bracket is a little wider than JMH's measured window (thread start and the
 * synchronised warm-up and wind-down are included), and work queued during one iteration may be done
 * in the next; both wash out over iterations of several seconds.
 */
public final class CpuPerOpProfiler implements InternalProfiler {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final List<String> GROUPS = List.of("bench", "audit-writer", "jit", "gc");

    private long processStart;
    private Map<String, Long> threadsStart;

    @Override
    public String getDescription() {
        return "CPU time per operation: the process, and by thread (Linux)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        threadsStart = threads();
        processStart = OS.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long process = OS.getProcessCpuTime() - processStart;
        Map<String, Long> threadsEnd = threads();
        double ops = Math.max(1, result.getMetadata().getMeasuredOps());
        List<Result> out = new ArrayList<>();
        out.add(new ScalarResult("cpu.process", process / ops, "ns/op", AggregationPolicy.AVG));
        if (threadsStart.isEmpty() || threadsEnd.isEmpty()) {
            return out; // not Linux: no split
        }
        Map<String, Long> byGroup = new HashMap<>();
        long counted = 0;
        for (Map.Entry<String, Long> t : threadsEnd.entrySet()) {
            long spent = t.getValue() - threadsStart.getOrDefault(t.getKey(), 0L); // a new thread: all of it
            String group = t.getKey().substring(t.getKey().indexOf(' ') + 1);
            byGroup.merge(group, spent, Long::sum);
            counted += spent;
        }
        for (String group : GROUPS) {
            out.add(new ScalarResult("cpu." + group, byGroup.getOrDefault(group, 0L) / ops, "ns/op", AggregationPolicy.AVG));
        }
        long other = process - counted + byGroup.getOrDefault("other", 0L);
        out.add(new ScalarResult("cpu.other", Math.max(0, other) / ops, "ns/op", AggregationPolicy.AVG));
        return out;
    }

    /** CPU nanoseconds of each live thread, keyed "tid group"; empty where /proc is not there. */
    private static Map<String, Long> threads() {
        Map<String, Long> cpu = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return cpu;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String schedstat = Files.readString(task.resolve("schedstat")).trim();
                    long onCpu = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                    cpu.put(task.getFileName() + " " + group(name), onCpu);
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while being read: its time shows up in cpu.other
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return cpu;
    }

    /** Linux keeps the first 15 characters of a thread's name; JMH names its threads after the benchmark. */
    private static String group(String name) {
        if (name.startsWith("audit-writer-")) {
            return "audit-writer";
        } else if (name.contains("CompilerThre")) {
            return "jit";
        } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return "gc";
        } else if (name.startsWith("dev.portcullis.") || name.contains("jmh-worker")) {
            return "bench";
        }
        return "other";
    }
}
