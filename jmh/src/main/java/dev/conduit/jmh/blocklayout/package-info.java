/**
 * JMH benchmarks and a footprint probe of block-layout ({@code dev.conduit.blocklayout}), through its public API.
 */
package dev.conduit.jmh.blocklayout;
