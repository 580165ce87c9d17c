/**
 * {@code portcullis audit}: {@code public-key} exports the node's audit signing public key,
 * {@code verify} checks stored chains with a public key, {@code query} pages through events by
 * filter, {@code tail} shows (and with {@code -f} follows) the newest events. Each reads segment
 * files in a data directory or the PostgreSQL audit table.
 */
package dev.portcullis.cli.audit;
