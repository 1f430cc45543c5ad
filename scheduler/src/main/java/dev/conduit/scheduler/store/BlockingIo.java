package dev.conduit.scheduler.store;

import java.util.concurrent.locks.LockSupport;

import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoStatus;

/**
 * One blocking request of {@link ScheduledNamespace}, pooled: the calling thread fills
 * {@link #request}, submits with this as the callback, and {@link #await()}s; the device thread's
 * completion stores the result and unparks it. No future, no per-request string.
 *
 * <p>Threading: one caller at a time (taken from and returned to the pool); the completion comes
 * from a device thread.
 */
final class BlockingIo implements IoCallback
{
    private static final long PENDING = Long.MIN_VALUE;
    private static final int SPINS = 200;

    final IoRequest request = new IoRequest();
    private volatile long result = PENDING;
    private volatile Thread waiter;

    /** Prepares for the next submission by the calling thread. */
    BlockingIo arm()
    {
        result = PENDING;
        waiter = Thread.currentThread();
        return this;
    }

    @Override
    public void onComplete(final long tag, final long result)
    {
        this.result = result;
        final Thread t = waiter;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }

    /**
     * Waits (spinning briefly, then parked; interrupts are ignored because the buffer stays in use
     * until the request completes) for the completion.
     *
     * @return bytes transferred, or a negative {@link IoStatus} code.
     */
    long await()
    {
        long r;
        int spins = 0;
        while ((r = result) == PENDING)
        {
            if (++spins < SPINS)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.park(this);
            }
        }
        waiter = null;
        return r;
    }
}
