package dev.portcullis.bench.audit;

import dev.portcullis.audit.event.AuditEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sustained events per second a sink accepts: one producer records pre-built gateway events as
 * fast as the bounded queue admits them (waiting when it is full), so once the queue is full the
 * measured rate is the writer's: chaining, hashing, a signed digest every 1,000 records and the
 * sink's writes (fsync at each digest for segments, one transaction per batch for PostgreSQL).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class AuditSinkThroughputBenchmark {

    @Param({"segments", "postgres"})
    String sink;

    private AuditFixtures.Opened opened;
    private AuditEvent[] events;
    private int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        opened = AuditFixtures.recorder(sink);
        events = new AuditEvent[1024];
        for (int i = 0; i < events.length; i++) {
            events[i] = AuditFixtures.gatewayEvent(i, "/jobs/" + i, i % 10 != 0, 250 + i);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        opened.close();
    }

    @Benchmark
    public void recordEvent() {
        AuditFixtures.recordWaiting(opened.recorder(), events[next++ & 1023]);
    }
}
