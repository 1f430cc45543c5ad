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
     * Answers a failure: an S3 error document when no response has started, else closes the
     * connection.
     *
     * @param exchange the request.
     * @param failure  what went wrong.
     */
    void fail(Exchange exchange, Throwable failure);
}
