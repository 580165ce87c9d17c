/**
 * The gateway: API Gateway's execute-api for services that do not run on AWS. An invocation
 * {@code METHOD /{apiId}/{stage}/{path…}} is matched to the API's most specific route, authenticated
 * and authorized on the one pipeline (the caller's identity policies and the API's resource policy,
 * action {@code execute-api:Invoke}), audited, and forwarded to the route's upstream: synchronously,
 * or durably queued and delivered by a worker ({@code async} routes, {@code X-Amz-Invocation-Type: Event}).
 *
 * <p>The door: {@link dev.portcullis.server.gateway.Gateway}; the rest is package-private.
 */
package dev.portcullis.server.gateway;
