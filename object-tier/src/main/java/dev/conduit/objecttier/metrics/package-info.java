/**
 * What the S3 server counts and how it is exposed: {@link dev.conduit.objecttier.metrics.S3Metrics}
 * is written by every request thread (lock-free adders and concurrent histograms) and read by a
 * scrape, which {@link dev.conduit.objecttier.metrics.PrometheusText} renders in the Prometheus
 * text format 0.0.4.
 */
package dev.conduit.objecttier.metrics;
