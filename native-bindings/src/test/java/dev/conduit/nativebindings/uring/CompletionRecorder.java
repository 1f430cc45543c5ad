package dev.conduit.nativebindings.uring;

import java.util.LinkedHashMap;
import java.util.Map;

/** Test handler: remembers every completion by user_data and fails on a duplicate. */
final class CompletionRecorder implements CompletionHandler
{
    private final Map<Long, Integer> results = new LinkedHashMap<>();
    private final Map<Long, Integer> flags = new LinkedHashMap<>();

    @Override
    public void onComplete(final long userData, final int result, final int cqeFlags)
    {
        if (results.put(userData, result) != null)
        {
            throw new AssertionError("second completion for user_data " + userData);
        }
        flags.put(userData, cqeFlags);
    }

    /** Submits, waits and reaps until nothing is in flight. */
    CompletionRecorder drain(final IoUring ring)
    {
        while (ring.inFlight() > 0)
        {
            ring.submitAndWait(ring.inFlight());
            ring.reap(this);
        }
        return this;
    }

    Map<Long, Integer> results()
    {
        return results;
    }

    int result(final long userData)
    {
        final Integer result = results.get(userData);
        if (result == null)
        {
            throw new AssertionError("no completion for user_data " + userData + "; have " + results.keySet());
        }
        return result;
    }
}
