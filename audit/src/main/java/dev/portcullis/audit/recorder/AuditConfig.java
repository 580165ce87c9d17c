package dev.portcullis.audit.recorder;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every audit setting, validated, with the defaults of issue 7: a digest every 1,000 records or
 * 60 seconds, a queue of 10,000 events, batches of up to 500, fail-closed for IAM/STS/admin/
 * governance and buffer for the gateway; segments rotate at 64 MiB or 1 hour.
 */
public record AuditConfig(
        String nodeId,
        int digestEveryRecords,
        Duration digestInterval,
        int queueCapacity,
        int batchSize,
        Duration maxRetryBackoff,
        Duration closeTimeout,
        long segmentMaxBytes,
        Duration segmentMaxAge,
        Map<OverflowPolicy.Endpoint, OverflowPolicy> policies) {

    public AuditConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("audit nodeId must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        positive("digestEveryRecords", digestEveryRecords);
        positive("queueCapacity", queueCapacity);
        positive("batchSize", batchSize);
        positive("segmentMaxBytes", segmentMaxBytes);
        positive("digestInterval", digestInterval);
        positive("maxRetryBackoff", maxRetryBackoff);
        positive("closeTimeout", closeTimeout);
        positive("segmentMaxAge", segmentMaxAge);
        EnumMap<OverflowPolicy.Endpoint, OverflowPolicy> all = new EnumMap<>(OverflowPolicy.Endpoint.class);
        for (OverflowPolicy.Endpoint e : OverflowPolicy.Endpoint.values()) {
            all.put(e, OverflowPolicy.defaultFor(e));
        }
        if (policies != null) {
            all.putAll(policies);
        }
        policies = Map.copyOf(all);
    }

    public static AuditConfig defaults(String nodeId) {
        return new AuditConfig(nodeId, 1_000, Duration.ofSeconds(60), 10_000, 500, Duration.ofSeconds(1),
                Duration.ofSeconds(30), 64L << 20, Duration.ofHours(1), null);
    }

    public OverflowPolicy policyFor(OverflowPolicy.Endpoint endpoint) {
        return policies.get(endpoint);
    }

    public AuditConfig withDigestEvery(int records, Duration interval) {
        return new AuditConfig(nodeId, records, interval, queueCapacity, batchSize, maxRetryBackoff, closeTimeout,
                segmentMaxBytes, segmentMaxAge, policies);
    }

    public AuditConfig withQueue(int capacity, int batch) {
        return new AuditConfig(nodeId, digestEveryRecords, digestInterval, capacity, batch, maxRetryBackoff,
                closeTimeout, segmentMaxBytes, segmentMaxAge, policies);
    }

    public AuditConfig withRetry(Duration maxBackoff, Duration close) {
        return new AuditConfig(nodeId, digestEveryRecords, digestInterval, queueCapacity, batchSize, maxBackoff, close,
                segmentMaxBytes, segmentMaxAge, policies);
    }

    /** These endpoints' overflow policies replace the current ones; the others keep theirs. */
    public AuditConfig withPolicies(Map<OverflowPolicy.Endpoint, OverflowPolicy> changed) {
        EnumMap<OverflowPolicy.Endpoint, OverflowPolicy> all = new EnumMap<>(policies);
        all.putAll(changed);
        return new AuditConfig(nodeId, digestEveryRecords, digestInterval, queueCapacity, batchSize, maxRetryBackoff,
                closeTimeout, segmentMaxBytes, segmentMaxAge, all);
    }

    public AuditConfig withSegments(long maxBytes, Duration maxAge) {
        return new AuditConfig(nodeId, digestEveryRecords, digestInterval, queueCapacity, batchSize, maxRetryBackoff,
                closeTimeout, maxBytes, maxAge, policies);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException("audit " + name + " must be positive");
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("audit " + name + " must be a positive duration");
        }
    }
}
