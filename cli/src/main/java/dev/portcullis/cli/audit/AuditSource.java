package dev.portcullis.cli.audit;

import dev.portcullis.audit.sink.AuditLog;
import dev.portcullis.audit.sink.PostgresLog;
import dev.portcullis.audit.sink.SegmentFileSink;
import dev.portcullis.audit.sink.SegmentFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the trail is read from: the segment files of a data directory (default) or a PostgreSQL table. */
final class AuditSource {

    @Option(names = "--data-dir", defaultValue = "${env:PORTCULLIS_DATA_DIR:-portcullis-data}",
            description = "Data directory whose audit/segments are read (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--segments", description = "Read segment files from this directory instead of the data directory's.")
    Path segments;

    @Option(names = "--pg-url", description = "Read the PostgreSQL audit table at this JDBC URL instead of files.")
    String pgUrl;

    @Option(names = "--pg-table", defaultValue = "portcullis_audit",
            description = "PostgreSQL audit table, [schema.]table (default: ${DEFAULT-VALUE}).")
    String pgTable;

    /** An open log; close it when done. */
    Opened open() {
        if (pgUrl != null) {
            PostgresLog log = PostgresLog.connect(pgUrl, pgTable);
            return new Opened(log, "PostgreSQL table " + pgTable, log);
        }
        Path dir = segments != null ? segments : SegmentFileSink.directoryIn(dataDir);
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
