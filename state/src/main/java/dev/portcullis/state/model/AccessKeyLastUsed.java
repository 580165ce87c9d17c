package dev.portcullis.state.model;

import java.time.Instant;

/** When, for which service and in which region an access key was last used. */
public record AccessKeyLastUsed(Instant lastUsedAt, String serviceName, String region) {
}
