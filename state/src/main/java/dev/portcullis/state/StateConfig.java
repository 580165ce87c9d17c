package dev.portcullis.state;

import dev.portcullis.state.keyring.Keyring;
import dev.portcullis.state.view.PolicyCompiler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link IamState#open} needs, validated in one place.
 *
 * @param backend         {@code SQLITE} (default: {@code dataDirectory/portcullis.db}) or {@code POSTGRES}
 * @param dataDirectory   holds the SQLite file and, unless {@code keyring} is given or
 *                        {@code $PORTCULLIS_KEYRING} is set, {@code keyring.json} (generated, mode 0600)
 * @param jdbcUrl         PostgreSQL JDBC URL (POSTGRES only)
 * @param schema          PostgreSQL schema (POSTGRES only)
 * @param poolSize        JDBC connections at most
 * @param keyring         an explicit keyring (tests, or one shared by the nodes of a cluster)
 * @param pollInterval    how often a node polls the log besides notifications
 * @param snapshotEvery   a node that appends sequence {@code n * snapshotEvery} writes a snapshot
 * @param compiler        the policy compiler (the seam to the policy engine)
 * @param nodeName        names the node's threads and logs
 */
public record StateConfig(Backend backend, Path dataDirectory, String jdbcUrl, String schema, int poolSize,
                          Optional<Keyring> keyring, Duration pollInterval, int snapshotEvery,
                          PolicyCompiler compiler, String nodeName) {

    public enum Backend { SQLITE, POSTGRES }

    public StateConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(keyring, "keyring");
        Objects.requireNonNull(compiler, "compiler");
        if (backend == Backend.POSTGRES && (jdbcUrl == null || schema == null)) {
            throw new IllegalArgumentException("PostgreSQL needs a JDBC URL and a schema");
        }
        if (poolSize < 1 || snapshotEvery < 1 || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poolSize, snapshotEvery and pollInterval must be positive");
        }
    }

    /** The embedded default: a SQLite file in {@code dataDirectory}. */
    public static StateConfig sqlite(Path dataDirectory) {
        return new StateConfig(Backend.SQLITE, dataDirectory, null, null, 4, Optional.empty(), Duration.ofSeconds(1),
                1000, PolicyCompiler.standard(), "node");
    }

    /** A cluster node on PostgreSQL. */
    public static StateConfig postgres(String jdbcUrl, String schema, Path dataDirectory) {
        return new StateConfig(Backend.POSTGRES, dataDirectory, jdbcUrl, schema, 8, Optional.empty(),
                Duration.ofSeconds(1), 1000, PolicyCompiler.standard(), "node");
    }

    public Path sqliteFile() {
        return dataDirectory.resolve("portcullis.db");
    }

    public Path keyringFile() {
        return dataDirectory.resolve("keyring.json");
    }

    public StateConfig withKeyring(Keyring k) {
        return new StateConfig(backend, dataDirectory, jdbcUrl, schema, poolSize, Optional.of(k), pollInterval,
                snapshotEvery, compiler, nodeName);
    }

    public StateConfig withPollInterval(Duration d) {
        return new StateConfig(backend, dataDirectory, jdbcUrl, schema, poolSize, keyring, d, snapshotEvery,
                compiler, nodeName);
    }

    public StateConfig withSnapshotEvery(int n) {
        return new StateConfig(backend, dataDirectory, jdbcUrl, schema, poolSize, keyring, pollInterval, n,
                compiler, nodeName);
    }

    public StateConfig withCompiler(PolicyCompiler c) {
        return new StateConfig(backend, dataDirectory, jdbcUrl, schema, poolSize, keyring, pollInterval,
                snapshotEvery, c, nodeName);
    }

    public StateConfig withNodeName(String name) {
        return new StateConfig(backend, dataDirectory, jdbcUrl, schema, poolSize, keyring, pollInterval,
                snapshotEvery, compiler, name);
    }

    public StateConfig withPoolSize(int n) {
        return new StateConfig(backend, dataDirectory, jdbcUrl, schema, n, keyring, pollInterval, snapshotEvery,
                compiler, nodeName);
    }
}
