/**
 * JMH benchmarks of the S3 server ({@code dev.conduit.objecttier}): the GET data path through the
 * server's own streamer and buffer pool ({@link dev.conduit.jmh.objecttier.GetPathBenchmark}) and
 * whole GET requests over loopback ({@link dev.conduit.jmh.objecttier.GetRequestBenchmark}).
 */
package dev.conduit.jmh.objecttier;
