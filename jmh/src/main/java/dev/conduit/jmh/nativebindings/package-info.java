/**
 * JMH benchmarks of native-bindings ({@code dev.conduit.nativebindings}): FFM pread against the JDK's file channel.
 */
package dev.conduit.jmh.nativebindings;
