/**
 * Audit benchmarks: the cost the audit adds to a gateway-style request (SigV4 verification and
 * policy evaluation with the audit off and on), the request-thread cost of building an event, the
 * writer-thread cost of chaining one, the sustained events per second the segment-file and
 * PostgreSQL sinks accept, and ({@code GatewayAuditBenchmark}, with {@code CpuPerOpProfiler}) the CPU
 * per event of the events the gateway builds. Figures are recorded in {@code docs/benchmarks.md}.
 */
package dev.portcullis.bench.audit;
