package dev.portcullis.audit.query;

import java.util.List;
import java.util.Optional;

/** One page of matching events, oldest first, and the token of the next page when there is one. */
public record AuditPage(List<StoredEvent> events, Optional<String> nextPageToken) {
    public AuditPage {
        events = List.copyOf(events);
    }
}
