package dev.portcullis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per benchmark operation, which a machine shared with other work disturbs far less than
 * wall-clock time: {@code cpu.process} is the forked JVM's CPU time over the iteration (every thread:
 * the benchmark's, background writers such as the audit's, GC and JIT) divided by the operations
 * JMH counted; {@code cpu.audit-writer} is the share of threads named {@code audit-writer-*}.
 * Usage: {@code -prof dev.portcullis.bench.CpuPerOpProfiler}.
 *
 * <p>The iteration's bracket is a little wider than JMH's measured window (thread start and the
 * synchronised warm-up and wind-down are included), and work queued during one iteration may be done
 * in the next; both wash out over iterations of several seconds.
 */
public final class CpuPerOpProfiler implements InternalProfiler {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long processStart;
    private long writerStart;
    private int writersAtStart;

    @Override
    public String getDescription() {
        return "process and audit-writer CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        writersAtStart = writers().length;
        writerStart = writerCpu();
        processStart = OS.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long process = OS.getProcessCpuTime() - processStart;
        long writer = writerCpu() - writerStart;
        long ops = Math.max(1, result.getMetadata().getMeasuredOps());
        ScalarResult perOp = new ScalarResult("cpu.process", (double) process / ops, "ns/op", AggregationPolicy.AVG);
        if (writersAtStart == 0 || writers().length != writersAtStart) {
            // No writer, or one ended (JMH tears a trial's state down before the last iteration's
            // profilers run): its CPU is in cpu.process but can no longer be told apart.
            return List.of(perOp);
        }
        return List.of(perOp, new ScalarResult("cpu.audit-writer", (double) writer / ops, "ns/op", AggregationPolicy.AVG));
    }

    private static long writerCpu() {
        long total = 0;
        for (long id : writers()) {
            total += Math.max(0, THREADS.getThreadCpuTime(id));
        }
        return total;
    }

    /** The ids of the live threads named {@code audit-writer-*}. */
    private static long[] writers() {
        return java.util.Arrays.stream(THREADS.getThreadInfo(THREADS.getAllThreadIds()))
                .filter(t -> t != null && t.getThreadName().startsWith("audit-writer-"))
                .mapToLong(ThreadInfo::getThreadId)
                .toArray();
    }
}
