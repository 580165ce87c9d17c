/**
 * The HTTP edge: a Vert.x listener that assigns request and correlation ids, reads bodies within an
 * explicit limit, times requests out, drains in-flight requests on shutdown, and hands each
 * {@link dev.portcullis.server.http.InboundRequest} to an {@link dev.portcullis.server.http.HttpService}.
 * Nothing here knows IAM, STS or the gateway; protocol-shaped errors come back from the service via
 * {@link dev.portcullis.server.http.HttpService#refuse}.
 */
package dev.portcullis.server.http;
