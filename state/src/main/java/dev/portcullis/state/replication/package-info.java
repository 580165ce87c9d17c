/**
 * How a node learns of changes other nodes appended: PostgreSQL {@code LISTEN/NOTIFY} on a
 * dedicated connection (milliseconds), with polling as the fallback that also covers a lost
 * listener connection and SQLite files shared by several processes.
 */
package dev.portcullis.state.replication;
