package dev.conduit.scheduler;

import java.util.function.BooleanSupplier;

/** Waits for a condition by polling with {@link Thread#yield()}: no sleeps; bounded by the caller's {@code @Timeout}. */
final class Await
{
    private Await()
    {
    }

    static void until(final String what, final BooleanSupplier condition)
    {
        until(what, condition, () -> "");
    }

    static void until(final String what, final BooleanSupplier condition, final java.util.function.Supplier<String> state)
    {
        final long limitNs = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - limitNs > 0)
            {
                throw new AssertionError("timed out waiting until " + what + " " + state.get());
            }
            Thread.yield();
        }
    }
}
