/**
 * The IAM model as immutable values: accounts, users, groups, roles, managed and inline policies,
 * access keys, service principals and the gateway's APIs, stages and routes. Records only; the
 * rules that change them live in {@code view} (applying a {@code change} to an {@code IamView}).
 * Ids and names follow AWS's formats ({@link dev.portcullis.state.model.Ids}, {@link
 * dev.portcullis.state.model.Names}).
 */
package dev.portcullis.state.model;
