package dev.portcullis.state.model;

import java.time.Instant;
import java.util.Optional;

/** An account: a 12-digit id and an optional alias. */
public record Account(String accountId, Optional<String> alias, Instant createdAt) {
    public Account {
        alias = alias == null ? Optional.empty() : alias;
    }
}
