/**
 * The STS-compatible API (Query protocol, version 2011-06-15): {@code GetCallerIdentity},
 * {@code AssumeRole} and {@code GetSessionToken}. Temporary credentials are stateless: the session
 * token seals everything ({@link dev.portcullis.core.token.SessionTokenCodec}), so issuing and
 * verifying them touches no store.
 */
package dev.portcullis.server.sts;
