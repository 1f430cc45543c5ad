/**
 * JMH benchmarks of the scheduler ({@code dev.conduit.scheduler}), through its public API.
 */
package dev.conduit.jmh.scheduler;
