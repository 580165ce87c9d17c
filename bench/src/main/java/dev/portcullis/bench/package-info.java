/**
 * JMH benchmarks and load drivers. Nothing here runs in the test suite; each benchmark's figures,
 * the machine and the command that reproduces them are recorded in {@code docs/benchmarks.md}.
 */
package dev.portcullis.bench;
