package dev.conduit.scheduler;

/** A clock that moves only when a test says so. */
final class ManualClock implements NanoClock
{
    private volatile long nowNs = 1_000_000_000L;

    @Override
    public long nanoTime()
    {
        return nowNs;
    }

    void advanceNs(final long deltaNs)
    {
        nowNs += deltaNs;
    }
}
