package dev.portcullis.audit.recorder;

import dev.portcullis.audit.chain.ChainRecord;
import dev.portcullis.audit.chain.ChainTail;
import dev.portcullis.audit.sink.AuditSink;
import dev.portcullis.audit.sink.AuditSinkException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink that fails every append while {@link #failing} is set (a full disk, a lost database). */
final class FlakySink implements AuditSink {
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger failedAppends = new AtomicInteger();
    private final AuditSink delegate;

    FlakySink(AuditSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public ChainTail open(String nodeId) throws AuditSinkException {
        return delegate.open(nodeId);
    }

    @Override
    public void append(List<ChainRecord> records, boolean durable) throws AuditSinkException {
        if (failing.get()) {
            failedAppends.incrementAndGet();
            throw new AuditSinkException("disk full (simulated)");
        }
        delegate.append(records, durable);
    }

    @Override
    public String describe() {
        return "flaky " + delegate.describe();
    }

    @Override
    public void close() throws AuditSinkException {
        delegate.close();
    }
}
