/**
 * The HTTP side of {@link dev.conduit.objecttier.S3Server}: Netty's event loops decode requests and
 * write responses, and each request's S3 work (auth, store calls, reads) runs on a virtual thread of
 * its own, fed the request body through a bounded {@link dev.conduit.objecttier.http.BodyQueue} and
 * writing back through its {@link dev.conduit.objecttier.http.Exchange}. Objects are served from a
 * bounded pool of page-aligned native buffers ({@link dev.conduit.objecttier.http.ReadBufferPool})
 * that go to the socket without a copy.
 */
package dev.conduit.objecttier.http;
