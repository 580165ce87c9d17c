package dev.portcullis.state.model;

import java.time.Instant;

/** One version ({@code v1}, {@code v2}, …) of a managed policy. */
public record PolicyVersion(String versionId, String document, Instant createdAt) {
}
