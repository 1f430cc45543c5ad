package dev.conduit.objecttier;

import java.time.Duration;
import java.util.List;

import dev.conduit.objecttier.auth.Credentials;

/**
 * How an {@link S3Server} listens and whom it lets in.
 *
 * @param bindAddress      address to bind (127.0.0.1 by default: nothing is exposed unless asked).
 * @param port             TCP port; 0 picks a free one.
 * @param region           the region clients sign for ("us-east-1" by default).
 * @param credentials      access keys allowed to sign requests (at least one).
 * @param maxClockSkew     how far a request's signing time may be from the server's clock.
 * @param eventLoopThreads Netty event-loop threads (0 = Netty's default).
 * @param maxHeaderBytes   largest request header section accepted.
 * @param idleTimeout      a connection idle this long mid-request is closed.
 * @param drainTimeout     how long {@link S3Server#close()} waits for requests in flight.
 */
public record S3ServerOptions(
    String bindAddress,
    int port,
    String region,
    List<Credentials> credentials,
    Duration maxClockSkew,
    int eventLoopThreads,
    int maxHeaderBytes,
    Duration idleTimeout,
    Duration drainTimeout)
{
    /** The default port of {@code conduit serve}. */
    public static final int DEFAULT_PORT = 9400;

    /** Copies the credential list. */
    public S3ServerOptions
    {
        credentials = List.copyOf(credentials);
    }

    /**
     * @param credentials the access keys.
     * @return loopback, port {@value #DEFAULT_PORT}, us-east-1, 15 min skew, 16 KiB headers, 60 s idle, 30 s drain.
     */
    public static S3ServerOptions defaults(final List<Credentials> credentials)
    {
        return new S3ServerOptions("127.0.0.1", DEFAULT_PORT, "us-east-1", credentials, Duration.ofMinutes(15), 0, 16 << 10,
            Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    /**
     * @param newPort the port (0 = any free one).
     * @return these options on another port.
     */
    public S3ServerOptions withPort(final int newPort)
    {
        return new S3ServerOptions(bindAddress, newPort, region, credentials, maxClockSkew, eventLoopThreads, maxHeaderBytes, idleTimeout, drainTimeout);
    }

    /**
     * @param newBindAddress the address to bind.
     * @return these options on another address.
     */
    public S3ServerOptions withBindAddress(final String newBindAddress)
    {
        return new S3ServerOptions(newBindAddress, port, region, credentials, maxClockSkew, eventLoopThreads, maxHeaderBytes, idleTimeout, drainTimeout);
    }
}
