package dev.conduit.nvmeof.initiator;

/**
 * How {@link RemoteNamespace} reconnects after losing its controller's connection: at most
 * {@code attempts} connects, waiting {@code initialBackoffMs} before the first and doubling up to
 * {@code maxBackoffMs}; each connect is itself bounded by the options' command timeout.
 *
 * @param attempts         connects to try per outage (0: never reconnect).
 * @param initialBackoffMs the wait before the first attempt.
 * @param maxBackoffMs     the longest wait between attempts.
 */
public record ReconnectPolicy(int attempts, long initialBackoffMs, long maxBackoffMs)
{
    /** Validates the bounds. */
    public ReconnectPolicy
    {
        if (attempts < 0 || initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs)
        {
            throw new IllegalArgumentException("reconnect policy needs attempts >= 0 and 0 <= initial <= max back-off: "
                + attempts + ", " + initialBackoffMs + ", " + maxBackoffMs);
        }
    }

    /** @return 10 attempts, 100 ms doubling to 2 s (about 12 s of waiting in all, plus the connects). */
    public static ReconnectPolicy defaults()
    {
        return new ReconnectPolicy(10, 100, 2000);
    }

    /** @return no reconnect: a lost connection fails every later call. */
    public static ReconnectPolicy never()
    {
        return new ReconnectPolicy(0, 0, 0);
    }
}
