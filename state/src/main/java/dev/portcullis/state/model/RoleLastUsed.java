package dev.portcullis.state.model;

import java.time.Instant;

/** When and in which region a role was last used. */
public record RoleLastUsed(Instant lastUsedAt, String region) {
}
