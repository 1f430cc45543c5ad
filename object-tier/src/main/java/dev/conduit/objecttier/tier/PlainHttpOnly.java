package dev.conduit.objecttier.tier;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The TLS strategy of a cold client whose endpoint is {@code http://}: it refuses every TLS
 * connection, which such a client never opens. Without it the HTTP client builds its default TLS
 * context when it is made (the JSSE provider and the JDK's trust store, every CA certificate
 * parsed), a tenth of a second of each {@code conduit tier} command's start for a connection that
 * never comes. An {@code https://} endpoint keeps the SDK's own strategy.
 */
final class PlainHttpOnly implements TlsSocketStrategy
{
    private final URI endpoint;

    private PlainHttpOnly(final URI endpoint)
    {
        this.endpoint = endpoint;
    }

    /**
     * @param endpoint the cold endpoint.
     * @return the strategy for it, or null (the SDK's default, with TLS) unless it is plain HTTP.
     */
    static TlsSocketStrategy forEndpoint(final URI endpoint)
    {
        return "http".equalsIgnoreCase(endpoint.getScheme()) ? new PlainHttpOnly(endpoint) : null;
    }

    @Override
    public SSLSocket upgrade(final Socket socket, final String target, final int port, final Object attachment, final HttpContext context)
        throws IOException
    {
        throw new SSLException("TLS to " + target + ":" + port + " refused: the cold endpoint " + endpoint + " is plain HTTP");
    }
}
