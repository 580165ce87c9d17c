/**
 * Stateless temporary credentials. A session token is an AES-256-GCM sealed blob that carries the
 * session's secret, principal, tags, session policy, issue time and expiry, so verifying a request
 * signed with temporary credentials needs no store lookup (DESIGN.md, "Credentials"). The sealing
 * key id travels in the clear, authenticated as associated data, so keys can rotate while older
 * tokens stay valid until they expire.
 */
package dev.portcullis.core.token;
