package dev.portcullis.cli.audit;

import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.PostgresLog;
import dev.portcullis.audit.sink.SegmentFileSink;
import dev.portcullis.audit.sink.SegmentFiles;
import dev.portcullis.server.NodeAudit;
import dev.portcullis.server.config.ServerConfig;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the trail is read from, the same place the node writes it: the segment files of the data
 * directory in embedded mode, the PostgreSQL table {@code <store-schema>.audit_records} (every
 * node's chain) when the store is PostgreSQL.
 */
final class AuditSource {

    @Mixin
    NodeOptions node;

    @Option(names = "--segments", description = "Read segment files from this directory instead of the data directory's.")
    Path segments;

    @Option(names = "--pg-table", description = "PostgreSQL audit table, [schema.]table (default: <store-schema>.audit_records).")
    String pgTable;

    /** An open log; close it when done. */
    Opened open() {
        if (segments != null) {
            return new Opened(new SegmentFiles(segments), "segments in " + segments, null);
        }
        ServerConfig config = node.config();
        if (config.cluster()) {
            String table = pgTable != null ? pgTable : NodeAudit.table(config);
            PostgresLog log = PostgresLog.connect(config.effectiveStoreUrl(), table);
            return new Opened(log, "PostgreSQL table " + table, log);
        }
        Path dir = SegmentFileSink.directoryIn(config.dataDir());
        return new Opened(new SegmentFiles(dir), "segments in " + dir, null);
    }

    record Opened(AuditLog log, String description, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (resource != null) {
                resource.close();
            }
        }
    }
}
