package dev.conduit.scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The time at the start of a device's current duty cycle, published for producers so that stamping
 * a submission costs a load instead of a clock read (Aeron's {@code CachedNanoClock} idea). It is
 * exact to within one duty cycle while the device is running; producers read the real clock when
 * the device is parked, when the cached value would be stale. A stale stamp is always early, so it
 * can only make a latency look longer, never shorter.
 *
 * <p>Threading: {@link #update} by the device's thread only; {@link #nanoTime()} from any thread.
 * The value is padded so that the device's updates do not disturb neighbouring fields.
 */
final class CachedClock
{
    private static final VarHandle VALUE;

    static
    {
        try
        {
            VALUE = MethodHandles.lookup().findVarHandle(CachedClock.class, "value", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private long value;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;

    CachedClock(final long initialNs)
    {
        value = initialNs;
    }

    void update(final long nowNs)
    {
        VALUE.setRelease(this, nowNs);
    }

    long nanoTime()
    {
        return (long)VALUE.getAcquire(this);
    }
}
