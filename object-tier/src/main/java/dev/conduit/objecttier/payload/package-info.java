/**
 * Request bodies on their way in: aws-chunked decoding with chunk-signature checks, and the
 * Content-MD5, x-amz-checksum-* and x-amz-content-sha256 checks. Used by the connection's event
 * loop thread; every object here holds one request's state.
 */
package dev.conduit.objecttier.payload;
