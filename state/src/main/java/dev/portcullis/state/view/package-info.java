/**
 * The in-memory materialized model: {@link dev.portcullis.state.view.IamView}, an immutable snapshot
 * with the indexes the request path needs (access key id → key, secret and owner; user and role by
 * ARN and name; principal → compiled identity policies and boundary), and {@link
 * dev.portcullis.state.view.ViewApplier}, which validates a change against a view and returns the
 * next one. Maps are sharded copy-on-write (an update copies one of 256 shards), so applying a
 * change costs microseconds even with 100k principals while reads stay two hash lookups.
 * Policies are kept compiled by the policy engine ({@code Policies.parse}) behind the
 * {@link dev.portcullis.state.view.PolicyCompiler} seam, so authorization reads memory only.
 */
package dev.portcullis.state.view;
