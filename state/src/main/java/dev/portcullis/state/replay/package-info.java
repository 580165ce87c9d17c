/**
 * Cluster-wide replay protection for the gateway: a table of signatures accepted once, shared by
 * every node on one PostgreSQL store, with expired rows purged in batches.
 */
package dev.portcullis.state.replay;
