package dev.conduit.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test callback: remembers every completion in order, and fails the test on a second completion of a tag. */
final class RecordingCallback implements IoCallback
{
    final List<Long> order = new ArrayList<>();
    final Map<Long, Long> results = new HashMap<>();

    @Override
    public synchronized void onComplete(final long tag, final long result)
    {
        if (results.put(tag, result) != null)
        {
            throw new AssertionError("tag " + tag + " completed twice");
        }
        order.add(tag);
    }

    synchronized boolean isDone(final long tag)
    {
        return results.containsKey(tag);
    }

    synchronized long result(final long tag)
    {
        final Long result = results.get(tag);
        if (result == null)
        {
            throw new AssertionError("tag " + tag + " has not completed");
        }
        return result;
    }

    synchronized int count()
    {
        return results.size();
    }

    synchronized List<Long> order()
    {
        return List.copyOf(order);
    }
}
