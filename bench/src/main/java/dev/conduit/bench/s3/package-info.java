/**
 * {@code conduit bench --target s3://BUCKET/PREFIX}: an S3 load generator for any S3 endpoint.
 * {@link dev.conduit.bench.s3.S3Bench} puts the objects ({@code setup}), runs timed GET, PUT or mixed
 * rounds over {@code C} keep-alive HTTP/1.1 connections ({@link dev.conduit.bench.s3.S3Load}, Netty,
 * one request in flight per connection, the next issued from the previous one's completion on the
 * connection's event-loop thread) and reports through {@link dev.conduit.bench.s3.S3Report} in the
 * shape of the file benchmark's JSON. Requests are SigV4-signed by the AWS SDK's signer
 * ({@link dev.conduit.bench.s3.S3Signer}). {@link dev.conduit.bench.s3.S3ProxyPeer} runs S3Proxy as a
 * peer for tests and the comparison script.
 */
package dev.conduit.bench.s3;
