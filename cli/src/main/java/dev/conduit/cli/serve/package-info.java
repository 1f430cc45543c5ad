/**
 * {@code conduit serve}: the S3 endpoint as a foreground process. It creates the store and the
 * access key on first start, prints how to reach it, serves on object-tier's Netty threads until
 * SIGINT or SIGTERM, then drains and closes in order. The command's own thread only waits for the
 * stop signal and runs the close sequence.
 */
package dev.conduit.cli.serve;
