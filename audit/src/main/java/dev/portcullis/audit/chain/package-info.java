/**
 * Integrity of the audit trail: every record (event, restart marker, digest) is serialised as
 * {@linkplain dev.portcullis.audit.chain.CanonicalJson canonical JSON} (sorted keys, no
 * whitespace) and carries the SHA-256 of the previous record of its node's chain; every N
 * records or T seconds a {@link dev.portcullis.audit.chain.Digest} records the range covered,
 * the chain head hash and the previous digest's signature, and is signed with the node's Ed25519
 * {@link dev.portcullis.audit.chain.AuditSigningKey}, much as
 * <a href="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html">CloudTrail log file integrity validation</a>
 * chains signed digest files. {@link dev.portcullis.audit.chain.Chain} is the state that appends
 * to one node's chain; it belongs to a single writer thread.
 */
package dev.portcullis.audit.chain;
