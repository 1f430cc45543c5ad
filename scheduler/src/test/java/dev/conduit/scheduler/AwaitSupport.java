package dev.conduit.scheduler;

import java.util.function.BooleanSupplier;

/** {@link Await} for tests in other packages. */
public final class AwaitSupport
{
    private AwaitSupport()
    {
    }

    /**
     * @param what      description for the failure message.
     * @param condition polled until true (bounded; no sleeps).
     */
    public static void until(final String what, final BooleanSupplier condition)
    {
        Await.until(what, condition);
    }
}
