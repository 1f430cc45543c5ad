package dev.conduit.scheduler;

/** Who runs each device's duty cycle. */
public enum ThreadingMode
{
    /** Each device has its own thread that runs {@code doWork()} in a loop (production). */
    DEDICATED,
    /**
     * Nobody runs the duty cycle: the owner calls {@link IoScheduler#doWork()} (tests, or embedding
     * the scheduler in another agent). Blocking submits throw instead of waiting when a ring is full,
     * because waiting would never end.
     */
    INVOKER
}
