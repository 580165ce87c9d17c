package dev.portcullis.audit.recorder;

import dev.portcullis.audit.chain.AuditSigningKey;
import dev.portcullis.audit.chain.Chain;
import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.ChainTail;
import dev.portcullis.audit.chain.PreparedEvent;
import dev.portcullis.audit.event.AuditEvent;
import dev.portcullis.audit.sink.AuditSink;
import dev.portcullis.audit.sink.AuditSinkException;
import dev.portcullis.audit.sink.JsonLinesExport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder: a bounded queue in front of one writer thread.
 *
 * <p>Threads: request threads call {@link #reserve} and {@link Slot#record}; they touch only
 * {@code permits}, {@code queue} and the volatile flags, and {@link Slot#record} serialises the event
 * and hashes its body there ({@link PreparedEvent}), in parallel. The writer thread ({@code audit-writer-<node>})
 * owns the {@link Chain}, the sink and the exports. A permit stands for one event that was admitted
 * but is not yet stored; it is released only after the sink has stored the event, so the queue
 * bound covers events in flight as well as queued ones. A failed write is retried (with backoff
 * up to {@code maxRetryBackoff}) with the same records until it succeeds; meanwhile the recorder
 * is unhealthy and {@link OverflowPolicy#FAIL_CLOSED} admissions are refused.
 */
final class ChainWriter implements AuditRecorder {

    private static final Logger log = LoggerFactory.getLogger(ChainWriter.class);
    private static final long IDLE_POLL_MILLIS = 200;
    /**
     * After the first event of a batch arrives, the writer waits this long for more before chaining and
     * storing, unless a full batch is already queued. Without it, at a few thousand requests per second
     * nearly every event is a batch of its own: a wake-up of the writer (a futex call on the request thread
     * that queues it), a chaining pass and a write system call per event. The event's request is answered
     * without waiting for the write either way; its record reaches the sink up to this much later.
     * 5 ms rather than 1 ms: in four alternating pairs of gateway load runs (docs/benchmarks.md, run 11) the
     * audit's CPU per {@code NONE} request fell from a median of 16 to 9 µs, as the writer wakes 200 times a
     * second instead of 1,000 at 15,000 requests per second and each wake-up preempts an event loop.
     */
    static final long LINGER_NANOS = 5_000_000;
    /** Put on the queue by {@link #close} to wake the writer at once; never recorded. */
    private static final PreparedEvent WAKE = PreparedEvent.of(AuditEvent.builder().eventId("wake")
            .eventTime(Instant.EPOCH).eventName("wake").build());

    private final AuditConfig config;
    private final AuditSink sink;
    private final List<JsonLinesExport> exports;
    private final Chain chain;
    private final Clock clock;
    private final Semaphore permits;
    private final LinkedBlockingQueue<PreparedEvent> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean healthy = true;
    private volatile String lastError;
    private Instant lastDigest;

    private ChainWriter(AuditConfig config, AuditSink sink, AuditSigningKey key, List<JsonLinesExport> exports,
            ChainTail tail, Clock clock) {
        this.config = config;
        this.sink = sink;
        this.exports = List.copyOf(exports);
        this.clock = clock;
        this.chain = Chain.resume(config.nodeId(), key, tail);
        this.permits = new Semaphore(config.queueCapacity());
        this.lastDigest = clock.instant();
        this.thread = new Thread(this::run, "audit-writer-" + config.nodeId());
        this.thread.setDaemon(false);
    }

    static ChainWriter start(AuditConfig config, AuditSink sink, AuditSigningKey key, List<JsonLinesExport> exports)
            throws AuditSinkException {
        return start(config, sink, key, exports, Clock.systemUTC());
    }

    static ChainWriter start(AuditConfig config, AuditSink sink, AuditSigningKey key, List<JsonLinesExport> exports,
            Clock clock) throws AuditSinkException {
        ChainTail tail = sink.open(config.nodeId());
        ChainWriter writer = new ChainWriter(config, sink, key, exports, tail, clock);
        if (!tail.isEmpty()) {
            // Recorded synchronously, before any request is admitted: a failure here stops start-up.
            List<ChainRecord> marker = List.of(writer.chain.restart(clock.instant(), "node started", tail.discardedBytes()));
            sink.append(marker, true);
            writer.export(marker);
            writer.written.incrementAndGet();
        }
        writer.thread.start();
        return writer;
    }

    @Override
    public AuditSlot reserve(OverflowPolicy policy) throws AuditUnavailableException {
        if (closing.get()) {
            throw new AuditUnavailableException("The audit trail is shutting down.");
        }
        if (policy == OverflowPolicy.FAIL_CLOSED && !healthy) {
            throw new AuditUnavailableException("The audit trail is unavailable; try again later.");
        }
        if (!permits.tryAcquire()) {
            throw new AuditUnavailableException("The audit trail is behind; try again later.");
        }
        return new Slot();
    }

    @Override
    public OverflowPolicy policyFor(OverflowPolicy.Endpoint endpoint) {
        return config.policyFor(endpoint);
    }

    @Override
    public AuditHealth health() {
        return new AuditHealth(healthy, config.queueCapacity() - permits.availablePermits(), written.get(),
                failures.get(), lastError);
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        queue.add(WAKE);
        try {
            thread.join(config.closeTimeout().toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            log.error("audit writer for node {} did not finish within {}; {} admitted events are not stored",
                    config.nodeId(), config.closeTimeout(), config.queueCapacity() - permits.availablePermits());
        }
    }

    private final class Slot implements AuditSlot {
        private final AtomicBoolean used = new AtomicBoolean();

        @Override
        public void record(AuditEvent event) {
            if (!used.compareAndSet(false, true)) {
                throw new IllegalStateException("an audit slot records one event");
            }
            // The event's canonical JSON and the hash of its body are computed here, on the recording
            // thread, so that the writer only links hashes.
            PreparedEvent prepared;
            try {
                prepared = PreparedEvent.of(event);
            } catch (RuntimeException e) {
                permits.release();
                log.error("an audit event of node {} could not be serialised: {}", config.nodeId(), e.toString());
                throw e;
            }
            queue.add(prepared);
        }

        @Override
        public void close() {
            if (used.compareAndSet(false, true)) {
                // Legitimate only when the request produced no event (a pipeline bug otherwise): say so loudly.
                log.warn("an audit slot of node {} was closed without recording an event", config.nodeId());
                permits.release();
            }
        }
    }

    // ---- writer thread -------------------------------------------------------------------

    private void run() {
        long deadline = Long.MAX_VALUE;
        List<PreparedEvent> batch = new ArrayList<>(config.batchSize());
        try {
            while (true) {
                boolean stopping = closing.get();
                if (stopping && deadline == Long.MAX_VALUE) {
                    deadline = System.nanoTime() + config.closeTimeout().toNanos();
                }
                boolean drained = stopping && queue.isEmpty()
                        && permits.availablePermits() == config.queueCapacity();
                if (drained || (stopping && System.nanoTime() > deadline)) {
                    break;
                }
                nextBatch(batch, stopping, deadline);
            }
            if (chain.undigested() > 0) {
                List<ChainRecord> last = List.of(digest());
                store(last, true, deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Stopped e) {
            log.error("audit writer for node {} stopped with records unstored: {}", config.nodeId(), lastError);
        } finally {
            closeSink();
        }
    }

    /**
     * Waits for events, lingers for more, then chains and stores them. A method of its own rather than the body
     * of {@link #run}'s loop: {@code run} is entered once, so its loop would run interpreted until an
     * on-stack replacement compiled it, while this is compiled like any method called often.
     */
    private void nextBatch(List<PreparedEvent> batch, boolean stopping, long deadline)
            throws InterruptedException, Stopped {
        batch.clear();
        PreparedEvent first = queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
            if (first != WAKE && !stopping && queue.size() < config.batchSize() - 1) {
                java.util.concurrent.locks.LockSupport.parkNanos(LINGER_NANOS);
            }
            batch.add(first);
            queue.drainTo(batch, config.batchSize() - 1);
            batch.removeIf(e -> e == WAKE);
        }
        writeBatch(batch, deadline);
    }

    /** Chains a batch and stores it, one append per digest so that each append ends at a digest or holds none. */
    private void writeBatch(List<PreparedEvent> batch, long deadline) throws InterruptedException, Stopped {
        List<ChainRecord> records = new ArrayList<>(batch.size() + 2);
        for (PreparedEvent event : batch) {
            records.add(chain.append(event, clock.instant()));
            if (chain.undigested() >= config.digestEveryRecords()) {
                records.add(digest());
                store(records, true, deadline);
                records = new ArrayList<>(batch.size());
            }
        }
        if (chain.undigested() > 0 && !clock.instant().isBefore(lastDigest.plus(config.digestInterval()))) {
            records.add(digest());
            store(records, true, deadline);
        } else if (!records.isEmpty()) {
            store(records, false, deadline);
        }
        permits.release(batch.size());
    }

    private ChainRecord digest() {
        Instant now = clock.instant();
        lastDigest = now;
        return chain.digest(now);
    }

    private void store(List<ChainRecord> records, boolean durable, long deadline) throws InterruptedException, Stopped {
        retry(() -> sink.append(records, durable), deadline);
        written.addAndGet(records.size());
        export(records, deadline);
    }

    private void export(List<ChainRecord> records, long deadline) throws InterruptedException, Stopped {
        for (JsonLinesExport export : exports) {
            retry(() -> export.write(records), deadline);
        }
    }

    private void export(List<ChainRecord> records) throws AuditSinkException {
        for (JsonLinesExport export : exports) {
            export.write(records);
        }
    }

    private void retry(Write write, long deadline) throws InterruptedException, Stopped {
        long backoff = 10;
        while (true) {
            try {
                write.run();
                if (!healthy) {
                    log.info("audit sink for node {} recovered", config.nodeId());
                }
                healthy = true;
                lastError = null;
                return;
            } catch (AuditSinkException e) {
                failures.incrementAndGet();
                lastError = e.getMessage();
                if (healthy) {
                    log.error("audit write failed for node {}; refusing fail-closed requests until it recovers: {}",
                            config.nodeId(), e.getMessage());
                }
                healthy = false;
                if (System.nanoTime() > deadline) {
                    throw new Stopped();
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, config.maxRetryBackoff().toMillis());
            }
        }
    }

    private long pollMillis() {
        if (chain.undigested() == 0) {
            return IDLE_POLL_MILLIS;
        }
        long untilDigest = lastDigest.plus(config.digestInterval()).toEpochMilli() - clock.millis();
        return Math.max(1, Math.min(IDLE_POLL_MILLIS, untilDigest));
    }

    private void closeSink() {
        try {
            sink.close();
        } catch (AuditSinkException e) {
            log.error("closing the audit sink for node {} failed: {}", config.nodeId(), e.getMessage());
        }
        for (JsonLinesExport export : exports) {
            try {
                export.close();
            } catch (java.io.IOException e) {
                log.error("closing audit export {} failed: {}", export.describe(), e.getMessage());
            }
        }
    }

    @FunctionalInterface
    private interface Write {
        void run() throws AuditSinkException;
    }

    /** The close deadline passed while the sink was still failing. */
    private static final class Stopped extends Exception {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
