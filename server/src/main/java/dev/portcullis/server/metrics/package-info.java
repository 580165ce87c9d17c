/**
 * Request metrics (Micrometer, exposed in Prometheus text format at {@code /metrics}): one counter
 * and one latency timer per endpoint, action, decision and status class, and gauges the other parts
 * register (in-flight requests, applied change sequence, audit queue depth).
 */
package dev.portcullis.server.metrics;
