package dev.conduit.scheduler;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * How an idle device thread backs off between duty cycles that found no work: spin
 * ({@link SchedulerContext#idleSpins()} cycles), then yield ({@link SchedulerContext#idleYields()}
 * cycles, only while no task is in flight), then park, letting the backend block in its own wait
 * when it can ({@link DeviceAgent#awaitWork()}) and otherwise parking for at most
 * {@link SchedulerContext#idleMaxParkNs()}.
 *
 * <p>Threading: {@link #idle} runs only on the device's thread; {@link #isParked()} is read by
 * every producer after it publishes, to decide whether the device needs waking.
 */
final class DeviceIdleStrategy
{
    static final int SPIN = 0;
    static final int YIELD = 1;
    static final int PARK = 2;

    private final int maxSpins;
    private final int maxYields;
    private final long maxParkNs;
    // Read by every producer after publishing; padded so writes to neighbours do not invalidate it.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile boolean parked;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;

    /**
     * What the device's thread does after its {@code idleCycles}-th duty cycle in a row without work:
     * spin for the first {@code maxSpins}, then yield for {@code maxYields}, then park. With tasks in
     * flight it never yields: a completion is sure to come, and the backend ends the park for it
     * (io_uring blocks in the kernel until it arrives), whereas a yielding thread stays runnable, so
     * on a busy machine each yield can give the CPU away for a whole time slice while completions
     * wait unreaped and the device's queue drains.
     *
     * @param idleCycles    consecutive idle duty cycles, from 1.
     * @param maxSpins      idle cycles spent spinning.
     * @param maxYields     idle cycles spent yielding, when nothing is in flight.
     * @param tasksInFlight tasks the backend holds.
     * @return {@link #SPIN}, {@link #YIELD} or {@link #PARK}.
     */
    static int step(final int idleCycles, final int maxSpins, final int maxYields, final int tasksInFlight)
    {
        if (idleCycles <= maxSpins)
        {
            return SPIN;
        }
        if (tasksInFlight == 0 && idleCycles <= maxSpins + maxYields)
        {
            return YIELD;
        }
        return PARK;
    }

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
        final int step = step(idleCycles, maxSpins, maxYields, agent.inFlightTasks());
        if (step == SPIN)
        {
            Thread.onSpinWait();
        }
        else if (step == YIELD)
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
