/**
 * Benchmarks of the state module: applying a change, reading a principal's compiled policies
 * ({@link dev.portcullis.bench.state.StateBenchmark}), start-up from a snapshot of 100k users,
 * 100k roles and 500k attachments ({@link dev.portcullis.bench.state.StateLoadTest}), and
 * propagation between three nodes on PostgreSQL ({@link dev.portcullis.bench.state.StatePropagation}).
 */
package dev.portcullis.bench.state;
