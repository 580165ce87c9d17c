/**
 * The one request pipeline every endpoint goes through: authenticate (SigV4 against the in-memory
 * credentials), resolve the operation (action, resource, context), authorize with the policy engine,
 * run the handler, audit. APIs plug in as {@link dev.portcullis.server.pipeline.QueryApi}s that
 * resolve {@link dev.portcullis.server.pipeline.Operation}s; none of them authenticates, authorizes or
 * audits by itself, so nothing can bypass those steps.
 */
package dev.portcullis.server.pipeline;
