package dev.portcullis.server.config;

import dev.portcullis.audit.recorder.OverflowPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of {@code portcullis serve}, validated. Build it with {@link ConfigLoader}.
 *
 * @param host             address the API listener binds ({@code 127.0.0.1} by default: expose deliberately)
 * @param port             API listener port (IAM, STS, admin, governance); 0 picks a free port
 * @param gatewayPort      gateway listener port, or -1 to serve the gateway on the API port
 * @param dataDir          the embedded store, keyring and audit segments live here
 * @param region           the region this deployment answers for ({@code us-east-1})
 * @param storeUrl         JDBC URL of the store; null means SQLite in {@code dataDir}
 * @param storeSchema      the PostgreSQL schema of a cluster's store and audit table ({@code portcullis})
 * @param nodeId           this node's id: names its audit chain and its audit signing key. Null means the
 *                         id kept in {@code dataDir/node-id}, chosen on the first start; in a cluster every
 *                         node needs its own (see {@code NodeAudit})
 * @param keyringFile      the keyring file; null means {@code dataDir/keyring.json}, generated on first start
 * @param tlsCertFile      PEM certificate chain for HTTPS, or null for plain HTTP
 * @param tlsKeyFile       PEM private key for HTTPS, or null
 * @param maxBodyBytes     largest request body the API listener accepts
 * @param requestTimeout   a request not answered within this is failed with 503
 * @param shutdownGrace    how long shutdown waits for in-flight requests
 * @param clockSkew        SigV4 clock-skew window
 * @param demo             load the reference scenario data and print ready-to-paste commands
 * @param gatewayRetryBackoff the base of the gateway's async retry backoff (doubling per attempt, at most 1 h)
 * @param auditExport      where audit records are mirrored as JSON lines for a log shipper: {@code stdout}, a
 *                         file path (appended to), or null for no export
 * @param auditOverflowApi what the IAM, STS and admin APIs do when the audit sink fails or its queue is full:
 *                         {@code FAIL_CLOSED} (the default: refuse requests with 503 until a write succeeds) or
 *                         {@code BUFFER} (keep admitting while events fit in the queue, then refuse)
 * @param auditOverflowGateway the same for gateway invocations ({@code BUFFER} by default)
 */
public record ServerConfig(
        String host,
        int port,
        int gatewayPort,
        Path dataDir,
        String region,
        String storeUrl,
        String storeSchema,
        String nodeId,
        Path keyringFile,
        Path tlsCertFile,
        Path tlsKeyFile,
        long maxBodyBytes,
        Duration requestTimeout,
        Duration shutdownGrace,
        Duration clockSkew,
        boolean demo,
        Duration gatewayRetryBackoff,
        String auditExport,
        OverflowPolicy auditOverflowApi,
        OverflowPolicy auditOverflowGateway) {

    public static final int DEFAULT_PORT = 4566;
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** What a node id may be (it names audit segment files and rows). */
    public static final String NODE_ID = "[A-Za-z0-9._-]{1,64}";

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(storeSchema, "storeSchema");
        check(storeSchema.matches("[a-z_][a-z0-9_]{0,62}"), "store-schema must be lower-case letters, digits and _, not '"
                + storeSchema + "'");
        check(nodeId == null || nodeId.matches(NODE_ID), "node-id must be 1-64 characters of A-Z a-z 0-9 . _ -, not '"
                + nodeId + "'");
        check(port >= 0 && port <= 65535, "port must be 0..65535, not " + port);
        check(gatewayPort >= -1 && gatewayPort <= 65535, "gateway-port must be -1 (same listener) or 0..65535, not " + gatewayPort);
        check(region.matches("[a-z]{2}(-[a-z]+)+-\\d+"), "region must look like us-east-1, not '" + region + "'");
        check(maxBodyBytes >= 1024 && maxBodyBytes <= 64L * 1024 * 1024, "max-body-bytes must be 1 KiB..64 MiB, not " + maxBodyBytes);
        check(!requestTimeout.isNegative() && !requestTimeout.isZero(), "request-timeout must be positive");
        check(!shutdownGrace.isNegative(), "shutdown-grace must not be negative");
        check(clockSkew.compareTo(Duration.ofMinutes(1)) >= 0 && clockSkew.compareTo(Duration.ofHours(1)) <= 0,
                "clock-skew must be between 1 and 60 minutes");
        Objects.requireNonNull(gatewayRetryBackoff, "gatewayRetryBackoff");
        check(gatewayRetryBackoff.compareTo(Duration.ofMillis(10)) >= 0 && gatewayRetryBackoff.compareTo(Duration.ofHours(1)) <= 0,
                "gateway-retry-backoff must be between 10 ms and 1 hour");
        check(auditExport == null || !auditExport.isBlank(), "audit-export must be stdout or a file path");
        Objects.requireNonNull(auditOverflowApi, "auditOverflowApi");
        Objects.requireNonNull(auditOverflowGateway, "auditOverflowGateway");
        check((tlsCertFile == null) == (tlsKeyFile == null), "tls-cert and tls-key must be given together");
        if (storeUrl != null) {
            check(storeUrl.startsWith("jdbc:sqlite:") || storeUrl.startsWith("jdbc:postgresql:"),
                    "store-url must be a jdbc:sqlite: or jdbc:postgresql: URL");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }

    /** The keyring file in effect. */
    public Path effectiveKeyringFile() {
        return keyringFile != null ? keyringFile : dataDir.resolve("keyring.json");
    }

    /** The JDBC URL in effect: the configured one, or the SQLite file in the data directory. */
    public String effectiveStoreUrl() {
        return storeUrl != null ? storeUrl : "jdbc:sqlite:" + dataDir.resolve("portcullis.db").toAbsolutePath();
    }

    /** True when the store is PostgreSQL: cluster mode, where the audit goes to the PostgreSQL table. */
    public boolean cluster() {
        return effectiveStoreUrl().startsWith("jdbc:postgresql:");
    }

    /** True when HTTPS is configured. */
    public boolean tls() {
        return tlsCertFile != null;
    }

    /** Settings toString, safe to log: it contains paths and numbers, never key material. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", gatewayPort=" + gatewayPort + ", dataDir=" + dataDir
                + ", region=" + region + ", store=" + (storeUrl == null ? "sqlite(dataDir)" : redactUrl(storeUrl) + " schema "
                + storeSchema) + ", nodeId=" + (nodeId == null ? "(data dir)" : nodeId)
                + ", tls=" + tls() + ", maxBodyBytes=" + maxBodyBytes + ", requestTimeout=" + requestTimeout
                + ", clockSkew=" + clockSkew + ", demo=" + demo + ", gatewayRetryBackoff=" + gatewayRetryBackoff
                + ", auditOverflow(api=" + auditOverflowApi.settingName() + ", gateway=" + auditOverflowGateway.settingName()
                + ")]";
    }

    /** The audit overflow policy of each endpoint, as these settings choose. */
    public java.util.Map<OverflowPolicy.Endpoint, OverflowPolicy> auditPolicies() {
        java.util.EnumMap<OverflowPolicy.Endpoint, OverflowPolicy> m = new java.util.EnumMap<>(OverflowPolicy.Endpoint.class);
        for (OverflowPolicy.Endpoint e : OverflowPolicy.Endpoint.values()) {
            m.put(e, e == OverflowPolicy.Endpoint.GATEWAY ? auditOverflowGateway : auditOverflowApi);
        }
        return m;
    }

    private static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1<redacted>");
    }
}
