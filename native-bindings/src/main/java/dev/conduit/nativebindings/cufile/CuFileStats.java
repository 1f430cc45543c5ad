package dev.conduit.nativebindings.cufile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * cuFile's own statistics: choose a level (0 off .. 3 per-GPU), start, stop, reset, and read the
 * level-1 counters. Counting happens only between start and stop.
 *
 * <p>Threading: any thread.
 */
public final class CuFileStats
{
    private final CuFileLibrary library;

    CuFileStats(final CuFileLibrary library)
    {
        this.library = library;
    }

    /** @param level 0 (off), 1 (counters), 2 (+ size histograms), 3 (+ per GPU). */
    public void setLevel(final int level)
    {
        CuFileResults.check(library, library.setStatsLevel(level), "cuFileSetStatsLevel(" + level + ")");
    }

    /** @return the current level. */
    public int level()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(JAVA_INT);
            CuFileResults.check(library, library.getStatsLevel(out), "cuFileGetStatsLevel");
            return out.get(JAVA_INT, 0);
        }
    }

    /** Starts counting (needs a level above 0). */
    public void start()
    {
        CuFileResults.check(library, library.statsStart(), "cuFileStatsStart");
    }

    /** Stops counting; the counters stay readable. */
    public void stop()
    {
        CuFileResults.check(library, library.statsStop(), "cuFileStatsStop");
    }

    /** Zeroes the counters. */
    public void reset()
    {
        CuFileResults.check(library, library.statsReset(), "cuFileStatsReset");
    }

    /** @return the level-1 counters (needs level 1 or more). */
    public CuFileStatsLevel1 level1()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment stats = arena.allocate(CuFileLayouts.STATS_LEVEL1);
            CuFileResults.check(library, library.getStatsL1(stats), "cuFileGetStatsL1");
            return CuFileStatsLevel1.decode(stats);
        }
    }
}
