package dev.conduit.scheduler;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * How an idle device thread backs off between duty cycles that found no work: spin
 * ({@link SchedulerContext#idleSpins()} cycles), then yield ({@link SchedulerContext#idleYields()}
 * cycles), then park, letting the backend block in its own wait when it can
 * ({@link DeviceAgent#awaitWork()}) and otherwise parking for at most
 * {@link SchedulerContext#idleMaxParkNs()}.
 *
 * <p>Threading: {@link #idle} runs only on the device's thread; {@link #isParked()} is read by
 * every producer after it publishes, to decide whether the device needs waking.
 */
final class DeviceIdleStrategy
{
    private final int maxSpins;
    private final int maxYields;
    private final long maxParkNs;
    // Read by every producer after publishing; padded so writes to neighbours do not invalidate it.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile boolean parked;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;

    DeviceIdleStrategy(final SchedulerContext context)
    {
        this.maxSpins = context.idleSpins();
        this.maxYields = context.idleYields();
        this.maxParkNs = context.idleMaxParkNs();
    }

    /** @return true while the device's thread is parked or about to park (it must then be woken). */
    boolean isParked()
    {
        return parked;
    }

    /**
     * Backs off once.
     *
     * @param idleCycles consecutive duty cycles that found no work, this one included.
     * @param agent the agent whose backend may wait for completions in place of a park.
     * @return {@code idleCycles}.
     */
    int idle(final int idleCycles, final DeviceAgent agent)
    {
        if (idleCycles <= maxSpins)
        {
            Thread.onSpinWait();
        }
        else if (idleCycles <= maxSpins + maxYields)
        {
            Thread.yield();
        }
        else
        {
            parked = true;
            VarHandle.fullFence();
            try
            {
                if (!agent.prepareToPark() && !agent.awaitWork())
                {
                    LockSupport.parkNanos(this, maxParkNs);
                }
            }
            finally
            {
                parked = false;
            }
        }
        return idleCycles;
    }
}
