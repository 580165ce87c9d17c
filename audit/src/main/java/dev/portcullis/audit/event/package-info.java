/**
 * The audit event: one CloudTrail-like record per request through any endpoint (allowed or denied)
 * and per state change. {@link dev.portcullis.audit.event.AuditEvent} is an immutable value whose
 * request parameters, response elements and error message pass through the
 * {@link dev.portcullis.audit.event.Redactor} when it is built, so an event can never carry a
 * secret key, session token, signature or password to a sink. Field names follow the
 * <a href="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html">CloudTrail record contents</a>;
 * {@link dev.portcullis.audit.event.EventJson} is the one place that maps events to and from JSON.
 */
package dev.portcullis.audit.event;
