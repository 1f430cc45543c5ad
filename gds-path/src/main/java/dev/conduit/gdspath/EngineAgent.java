package dev.conduit.gdspath;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.locks.LockSupport;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The thread of a GPU engine: one agent that makes the CUDA context current once, then runs
 * {@link #doWork()} duty cycles (parking when a cycle did nothing) until it is told to stop and
 * nothing is {@link #busy()}; its native resources are freed on the agent itself, where the
 * context is current, in {@link #freeOnAgent}.
 *
 * <p>Close order: {@link #close()} is called after the data path drained its reads; it stops the
 * agent, waits for it, then runs {@link #afterAgent()} on the calling thread, and reports a failure
 * of the agent as {@link ErrorCode#GPU_IO_FAILED}.
 *
 * <p>Threading: {@link #wake()} from any thread; everything else abstract runs on the agent.
 */
abstract class EngineAgent implements AutoCloseable
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final GpuRuntime gpu;
    private Thread thread;
    private volatile long finalCpuNs;
    private volatile boolean running = true;
    private volatile Throwable failure;

    EngineAgent(final GpuRuntime gpu)
    {
        this.gpu = gpu;
    }

    /** Starts the agent; call once, last in the engine's constructor. */
    final void start(final String name)
    {
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** @return false once {@link #close()} began: new reads are refused. */
    final boolean running()
    {
        return running;
    }

    /**
     * @return CPU time the agent thread has used (thread CPU clock; kept after it ended), or 0 where
     *         the JVM does not measure thread CPU time.
     */
    final long cpuNs()
    {
        final Thread t = thread;
        if (t != null && t.isAlive() && THREADS.isThreadCpuTimeSupported())
        {
            final long ns = THREADS.getThreadCpuTime(t.threadId());
            if (ns >= 0)
            {
                return ns;
            }
        }
        return finalCpuNs;
    }

    /** Unparks the agent: work arrived. */
    final void wake()
    {
        LockSupport.unpark(thread);
    }

    /** @return how much one duty cycle did (0: nothing). */
    abstract int doWork();

    /** @return whether reads, copies or entries are still in flight. */
    abstract boolean busy();

    /** @return how long to park after an idle cycle (short while the hardware works, to poll it). */
    abstract long idleParkNs();

    /** The agent died: fail what it held (after waiting for the hardware). */
    abstract void onAgentFailure(Throwable t);

    /**
     * Frees the native resources, in order, on the agent.
     *
     * @param primary a failure so far, or null.
     * @return {@code primary} with close failures suppressed, else the first close failure, else null.
     */
    abstract RuntimeException freeOnAgent(RuntimeException primary);

    /** Runs on the closing thread after the agent ended (e.g. close a nested engine). */
    abstract void afterAgent();

    @Override
    public void close()
    {
        running = false;
        wake();
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            afterAgent();
        }
        finally
        {
            if (failure != null)
            {
                throw new ConduitException(ErrorCode.GPU_IO_FAILED, Thread.currentThread().getName()
                    + ": the " + thread.getName() + " agent failed", failure);
            }
        }
    }

    private void run()
    {
        RuntimeException primary = null;
        try
        {
            gpu.makeCurrent();
            while (running || busy())
            {
                if (doWork() == 0)
                {
                    LockSupport.parkNanos(this, idleParkNs());
                }
            }
        }
        catch (final Throwable t)
        {
            failure = t;
            primary = t instanceof RuntimeException re ? re : new IllegalStateException(t);
            onAgentFailure(t);
        }
        finally
        {
            final RuntimeException closing = freeOnAgent(primary);
            if (closing != null && failure == null)
            {
                failure = closing;
            }
            finalCpuNs = THREADS.isCurrentThreadCpuTimeSupported() ? Math.max(0, THREADS.getCurrentThreadCpuTime()) : 0;
        }
    }
}
