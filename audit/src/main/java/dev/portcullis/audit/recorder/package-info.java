/**
 * What the server's request pipeline calls. {@link dev.portcullis.audit.recorder.AuditRecorder}
 * admits a request by reserving a place for its event in a bounded queue
 * ({@link dev.portcullis.audit.recorder.AuditRecorder#reserve}), refusing it with
 * {@link dev.portcullis.audit.recorder.AuditUnavailableException} (HTTP 503) when the
 * {@link dev.portcullis.audit.recorder.OverflowPolicy} says so; the event recorded into a
 * reserved place is then never dropped. One writer thread drains the queue in batches, chains the
 * events, writes digests every N records or T seconds, and writes to the sink, retrying a failed
 * batch until it is stored. Settings have one home: {@link dev.portcullis.audit.recorder.AuditConfig}.
 */
package dev.portcullis.audit.recorder;
