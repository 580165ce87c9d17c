package dev.portcullis.bench.audit;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.Chain;
import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.ChainTail;
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
 * Where an audited request's CPU goes: building the event on the request thread (including
 * redaction) and chaining it on the writer thread (canonical JSON, SHA-256, and an Ed25519-signed
 * digest every 1,000 records, amortised).
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
    private long i;

    @Setup
    public void setUp() {
        chain = Chain.resume("bench", AuditSigningKey.ephemeral(), ChainTail.empty());
        event = AuditFixtures.gatewayEvent(1, "/prod/jobs", true, 250);
    }

    @Benchmark
    public AuditEvent buildEvent() {
        return AuditFixtures.gatewayEvent(i++, "/prod/jobs", true, 250);
    }

    @Benchmark
    public ChainRecord chainEvent() {
        ChainRecord r = chain.append(event, Instant.now());
        if (chain.undigested() >= 1000) {
            return chain.digest(Instant.now());
        }
        return r;
    }
}
