package dev.portcullis.state.store;

import java.time.Instant;
import java.util.Optional;

/** One row of the change log: its sequence, the change's type and JSON, who asked for it, and when it was recorded. */
public record LogEntry(long sequence, String changeType, String payload, Optional<String> actor, Instant recordedAt) {
}
