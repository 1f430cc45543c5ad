package dev.conduit.objecttier.http;

/**
 * The client closed the connection before the request was done: nothing can be answered, and
 * whatever the request had started (an upload) is abandoned. Carries no stack trace: it is an
 * expected event, not a bug.
 */
public final class ClientGoneException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The connection is gone. */
    public ClientGoneException()
    {
        super("client disconnected", null, false, false);
    }
}
