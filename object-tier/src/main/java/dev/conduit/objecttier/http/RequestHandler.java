package dev.conduit.objecttier.http;

/**
 * Does the work of one request on its own thread: reads what it needs from the exchange and
 * writes exactly one response through it (or aborts the connection).
 */
public interface RequestHandler
{
    /**
     * @param exchange the request; may block.
     * @throws Exception anything; {@link #fail} answers it.
     */
    void handle(Exchange exchange) throws Exception;

    /**
     * Event loop, before a thread is started for the request: answers it without one when that
     * needs no blocking (a small GET), or returns false, having sent nothing, for {@link #handle} to
     * run on the request's own thread.
     *
     * @param exchange the request, its head decoded.
     * @return whether the request is being answered.
     */
    default boolean tryInline(final Exchange exchange)
    {
        return false;
    }

    /**
     * Answers a failure: an S3 error document when no response has started, else closes the
     * connection.
     *
     * @param exchange the request.
     * @param failure  what went wrong.
     */
    void fail(Exchange exchange, Throwable failure);
}
