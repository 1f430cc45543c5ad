package dev.conduit.scheduler;

import java.util.concurrent.locks.LockSupport;

/**
 * A device's own thread (DEDICATED mode): runs the {@link DeviceAgent} duty cycle until the device
 * closes and is drained, backing off with a {@link DeviceIdleStrategy} between empty cycles, and is
 * the {@link DeviceWaker} producers and the backend call. In INVOKER mode it has no thread and is
 * only the (never parked, so no-op) waker.
 *
 * <p>A throw out of the duty cycle leaves tasks whose owner is unknown, so it fails the device for
 * good ({@link IoDevice#fail}); a normal end closes the agent.
 *
 * <p>Threading: {@link #run()} is the device thread's body; {@link #wake()} is safe from any
 * thread; {@link #start()} and {@link #awaitStopped(long)} are called by the device's owner.
 */
final class DeviceRunner implements Runnable, DeviceWaker
{
    private final IoDevice device;
    private final DeviceAgent agent;
    private final Backend backend;
    private final DeviceIdleStrategy idleStrategy;
    private final Thread thread;
    private volatile boolean abortRequested;

    DeviceRunner(
        final IoDevice device, final DeviceAgent agent, final Backend backend, final SchedulerContext context,
        final boolean invoker)
    {
        this.device = device;
        this.agent = agent;
        this.backend = backend;
        this.idleStrategy = new DeviceIdleStrategy(context);
        this.thread = invoker ? null :
            Thread.ofPlatform().daemon(true).name(context.threadNamePrefix() + device.name()).unstarted(this);
    }

    /** @return the device's thread, or null in INVOKER mode. */
    Thread thread()
    {
        return thread;
    }

    /** @return true while the device's thread is parked (producers must wake it). */
    boolean isParked()
    {
        return idleStrategy.isParked();
    }

    void start()
    {
        thread.start();
    }

    @Override
    public void wake()
    {
        if (idleStrategy.isParked() && !device.isTerminated())
        {
            backend.wakeUp();
            LockSupport.unpark(thread);
        }
    }

    /**
     * Waits for the thread to drain and stop; after {@code drainTimeoutNs} asks it to fail the
     * still-queued requests ({@link DeviceAgent#abortPending()}) and waits for it without limit,
     * since I/O in flight cannot be abandoned.
     */
    void awaitStopped(final long drainTimeoutNs) throws InterruptedException
    {
        thread.join(Math.max(1, drainTimeoutNs / 1_000_000));
        if (thread.isAlive())
        {
            abortRequested = true;
            wake();
            thread.join();
        }
    }

    @Override
    public void run()
    {
        Throwable fatal = null;
        try
        {
            agent.onStart(this);
            dutyCycles();
        }
        catch (final Throwable t)
        {
            // Any throw out of the duty cycle leaves tasks whose owner is unknown: stop for good.
            fatal = t;
        }
        if (fatal != null)
        {
            device.fail(fatal);
        }
        else
        {
            agent.onClose();
        }
    }

    private void dutyCycles()
    {
        int idleCycles = 0;
        boolean aborted = false;
        while (true)
        {
            final int work = agent.doWork();
            if (device.isClosing())
            {
                if (!aborted && abortRequested)
                {
                    agent.abortPending();
                    aborted = true;
                }
                if (agent.isDrained())
                {
                    return;
                }
            }
            idleCycles = work > 0 ? 0 : idleStrategy.idle(idleCycles + 1, agent);
        }
    }
}
