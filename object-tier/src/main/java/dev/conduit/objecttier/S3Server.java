package dev.conduit.objecttier;

import java.net.InetSocketAddress;

import dev.conduit.objecttier.bucket.BucketStore;

/**
 * The S3 endpoint: Netty, HTTP/1.1 keep-alive, SigV4, over a {@link BucketStore}.
 *
 * <pre>{@code
 * try (S3Server server = S3Server.start(S3ServerOptions.defaults(keys).withPort(0), buckets))
 * {
 *     System.out.println(server.endpoint());   // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>CONTRACT FOR THE SESSION'S HELPERS: the signatures are the agreed API; the HTTP work fills
 * the bodies and removes this note.
 */
public final class S3Server implements AutoCloseable
{
    private S3Server()
    {
    }

    /**
     * Binds and starts serving.
     *
     * @param options how to listen and whom to let in.
     * @param buckets the buckets to serve (not closed by the server).
     * @return the running server.
     */
    public static S3Server start(final S3ServerOptions options, final BucketStore buckets)
    {
        throw new UnsupportedOperationException("http layer");
    }

    /** @return the bound address (the real port when 0 was asked for). */
    public InetSocketAddress address()
    {
        throw new UnsupportedOperationException("http layer");
    }

    /** @return {@code http://host:port}. */
    public String endpoint()
    {
        throw new UnsupportedOperationException("http layer");
    }

    /**
     * Stops accepting connections, lets requests in flight finish (up to the drain timeout), then
     * closes every connection and the event loops. Idempotent.
     */
    @Override
    public void close()
    {
        throw new UnsupportedOperationException("http layer");
    }
}
