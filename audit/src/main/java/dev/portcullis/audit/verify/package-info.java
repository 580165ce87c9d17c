/**
 * Verifies stored chains with nothing but the node's public key: every record's hash, every link
 * to the previous record, the sequence (no record deleted, inserted or moved), and every digest's
 * range, head hash, link to the previous digest and Ed25519 signature.
 * {@link dev.portcullis.audit.verify.AuditVerifier#verify} names the first record or digest of each
 * node that does not verify, and why.
 */
package dev.portcullis.audit.verify;
