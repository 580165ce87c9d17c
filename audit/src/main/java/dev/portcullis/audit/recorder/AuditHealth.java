package dev.portcullis.audit.recorder;

/**
 * The recorder's state for health checks and metrics: whether the last write succeeded, events
 * reserved but not yet stored, records stored since start, failed write attempts, and the last
 * failure's message (null when none).
 */
public record AuditHealth(boolean healthy, int pending, long recordsWritten, long writeFailures, String lastError) {}
