/**
 * Where the chain is stored: {@link dev.portcullis.audit.sink.AuditSink} appends a node's
 * records (called only by the recorder's writer thread) and {@link dev.portcullis.audit.sink.AuditLog}
 * reads them back for verification, query and tail. Two backends: rotating append-only JSON-lines
 * segment files in the data directory ({@link dev.portcullis.audit.sink.SegmentFileSink},
 * embedded mode) and a PostgreSQL table with one chain per node
 * ({@link dev.portcullis.audit.sink.PostgresSink}, cluster mode). {@link dev.portcullis.audit.sink.JsonLinesExport}
 * mirrors records to stdout or a file for shipping to a log system.
 */
package dev.portcullis.audit.sink;
