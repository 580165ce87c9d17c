/**
 * The state module's front door: {@link dev.portcullis.state.IamState} opens a store, loads the
 * latest snapshot plus the log after it, keeps the in-memory {@link dev.portcullis.state.view.IamView}
 * current (its own writes, and other nodes' through replication) and applies new changes;
 * {@link dev.portcullis.state.IamException} carries AWS's code, message and HTTP status.
 */
package dev.portcullis.state;
