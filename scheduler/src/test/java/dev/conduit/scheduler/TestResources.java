package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.util.List;

/** Closes what a backend test opened, in the order the module README gives: scheduler, then files, then memory. */
final class TestResources
{
    private TestResources()
    {
    }

    static void close(final IoScheduler scheduler, final List<? extends AutoCloseable> closeables, final Arena arena)
        throws Exception
    {
        if (scheduler != null)
        {
            scheduler.close();
        }
        for (final AutoCloseable c : closeables)
        {
            c.close();
        }
        arena.close();
    }
}
