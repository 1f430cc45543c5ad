package dev.conduit.scheduler;

/**
 * A source of monotonic nanoseconds, as {@link System#nanoTime()}. Deadlines and latencies are
 * measured with it; tests substitute a manual clock. Compare readings wrap-safely:
 * {@code (deadlineNs - nowNs) < 0} means the deadline has passed.
 */
@FunctionalInterface
public interface NanoClock
{
    /** The system clock. */
    NanoClock SYSTEM = System::nanoTime;

    /** @return the current time in nanoseconds; only differences between readings are meaningful. */
    long nanoTime();
}
