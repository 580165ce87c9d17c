package dev.portcullis.bench.audit;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.Chain;
import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.ChainTail;
import dev.portcullis.audit.chain.PreparedEvent;
import dev.portcullis.audit.event.AuditEvent;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where an audited request's CPU goes: building the event (including redaction) and preparing it
 * (canonical JSON, SHA-256 of the body) on the request thread, and linking it on the writer thread
 * (SHA-256 of the position-dependent suffix, and an Ed25519-signed digest every 1,000 records,
 * amortised). {@code chainEvent} does both shares on one thread (the writer's work before events
 * were prepared on the request threads).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AuditEventBenchmark {

    private Chain chain;
    private AuditEvent event;
    private PreparedEvent prepared;
    private long i;

    @Setup
    public void setUp() {
        chain = Chain.resume("bench", AuditSigningKey.ephemeral(), ChainTail.empty());
        event = AuditFixtures.gatewayEvent(1, "/prod/jobs", true, 250);
        prepared = PreparedEvent.of(event);
    }

    @Benchmark
    public AuditEvent buildEvent() {
        return AuditFixtures.gatewayEvent(i++, "/prod/jobs", true, 250);
    }

    /** The recording thread's share since events are prepared there: canonical JSON and the body's SHA-256. */
    @Benchmark
    public PreparedEvent prepareEvent() {
        return PreparedEvent.of(event);
    }

    /** The writer thread's share per prepared event: hash the position-dependent suffix, link, digest amortised. */
    @Benchmark
    public ChainRecord linkPreparedEvent() {
        ChainRecord r = chain.append(prepared, Instant.now());
        if (chain.undigested() >= 1000) {
            return chain.digest(Instant.now());
        }
        return r;
    }

    /** Preparing and linking on one thread: what the writer did per event before events were prepared. */
    @Benchmark
    public ChainRecord chainEvent() {
        ChainRecord r = chain.append(event, Instant.now());
        if (chain.undigested() >= 1000) {
            return chain.digest(Instant.now());
        }
        return r;
    }
}
