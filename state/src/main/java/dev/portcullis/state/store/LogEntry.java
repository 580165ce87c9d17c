package dev.portcullis.state.store;

import java.time.Instant;

/** One row of the change log: its sequence, the change's type and JSON, and when it was recorded. */
public record LogEntry(long sequence, String changeType, String payload, Instant recordedAt) {
}
