package dev.conduit.objecttier.tier;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.conduit.blocklayout.ProgressListener;

/**
 * The prefetches a server is running for remote clients, by the id each client chose, with their
 * progress (bytes done and total): {@code conduit tier --server ... prefetch} polls it to draw its
 * progress bar while its prefetch request is still running. An entry exists from the prefetch's
 * start to its end.
 */
public final class PrefetchProgress
{
    /** Longest id a client may choose (ids are random tokens; a bound keeps the map's keys small). */
    public static final int MAX_ID_CHARS = 64;

    private final Map<String, long[]> running = new ConcurrentHashMap<>();

    /**
     * @param id the client's id.
     * @return a listener that records the prefetch's progress under {@code id}; call {@link #end} when it ends.
     */
    ProgressListener start(final String id)
    {
        final long[] state = new long[2];
        running.put(id, state);
        return (done, total) ->
        {
            synchronized (state)
            {
                state[0] = done;
                state[1] = total;
            }
        };
    }

    /** @param id a prefetch's id: it has ended. */
    void end(final String id)
    {
        running.remove(id);
    }

    /**
     * @param id a prefetch's id.
     * @return bytes done and total so far, or empty when no prefetch of that id is running.
     */
    public Optional<long[]> snapshot(final String id)
    {
        final long[] state = running.get(id);
        if (state == null)
        {
            return Optional.empty();
        }
        synchronized (state)
        {
            return Optional.of(new long[] {state[0], state[1]});
        }
    }
}
