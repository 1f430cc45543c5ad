/**
 * JMH benchmarks of the io_uring bindings ({@code dev.conduit.nativebindings.uring}).
 */
package dev.conduit.jmh.nativebindings.uring;
