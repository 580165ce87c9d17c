/**
 * Where the chain is stored: {@link dev.portcullis.audit.sink.AuditSink} appends a node's
 * records (called only by the recorder's writer thread) and {@link dev.portcullis.audit.sink.AuditLog}
 * reads them back for verification, query and tail. Two backends: rotating append-only JSON-lines
 * segment files in the data directory ({@link dev.portcullis.audit.sink.SegmentFileSink},
 * embedded mode) and a PostgreSQL table with one chain per node
 * ({@link dev.portcullis.audit.sink.PostgresSink}, cluster mode). Queries avoid reading the whole trail:
 * closed segments carry their event-time range in a sidecar and are skipped outside a query's range,
 * and the PostgreSQL log is an {@link dev.portcullis.audit.sink.EventIndex} that filters, orders and
 * pages in SQL. {@link dev.portcullis.audit.sink.JsonLinesExport}
 * mirrors records to stdout or a file for shipping to a log system.
 */
package dev.portcullis.audit.sink;
