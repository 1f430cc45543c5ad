/**
 * AWS Signature Version 4: header, presigned-query and streaming-chunk signatures. One
 * {@link dev.conduit.objecttier.auth.SigV4Verifier} serves every event loop thread (it is
 * thread-safe and caches derived signing keys); the {@link dev.conduit.objecttier.auth.AuthResult}
 * it returns, and the chunk signature chain inside it, belong to one request and its thread.
 */
package dev.conduit.objecttier.auth;
