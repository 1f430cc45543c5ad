package dev.conduit.scheduler;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Scheduler-wide settings, each with a {@code *_DEFAULT} that setters override (the
 * {@code conduit} command sets them from its configuration); per-device settings are in
 * {@link DeviceContext}.
 *
 * <p>Threading: configure on one thread before {@link IoScheduler#launch}; the scheduler and its
 * devices only read it after that.
 */
public final class SchedulerContext
{
    /** Default time {@code close()} lets queued requests run before failing them with SHUTDOWN. */
    public static final long DRAIN_TIMEOUT_DEFAULT = TimeUnit.SECONDS.toNanos(30);
    /** Default idle duty cycles spent spinning before yielding. */
    public static final int IDLE_SPINS_DEFAULT = 200;
    /** Default idle duty cycles spent yielding before parking. */
    public static final int IDLE_YIELDS_DEFAULT = 20;
    /** Default longest park of an idle device thread (producers and backends wake it sooner). */
    public static final long IDLE_MAX_PARK_DEFAULT = TimeUnit.MILLISECONDS.toNanos(1);

    private NanoClock clock = NanoClock.SYSTEM;
    private ThreadingMode threadingMode = ThreadingMode.DEDICATED;
    private long drainTimeoutNs = DRAIN_TIMEOUT_DEFAULT;
    private int idleSpins = IDLE_SPINS_DEFAULT;
    private int idleYields = IDLE_YIELDS_DEFAULT;
    private long idleMaxParkNs = IDLE_MAX_PARK_DEFAULT;
    private String threadNamePrefix = "conduit-io-";
    private Consumer<Throwable> errorHandler = SchedulerContext::printError;

    /**
     * @param clock clock for deadlines and latency.
     * @return this.
     */
    public SchedulerContext clock(final NanoClock clock)
    {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** @return the clock. */
    public NanoClock clock()
    {
        return clock;
    }

    /**
     * @param threadingMode who runs the duty cycles.
     * @return this.
     */
    public SchedulerContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = Objects.requireNonNull(threadingMode, "threadingMode");
        return this;
    }

    /** @return the threading mode. */
    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * @param drainTimeoutNs how long {@code close()} lets queued requests run.
     * @return this.
     */
    public SchedulerContext drainTimeoutNs(final long drainTimeoutNs)
    {
        this.drainTimeoutNs = drainTimeoutNs;
        return this;
    }

    /** @return the drain timeout. */
    public long drainTimeoutNs()
    {
        return drainTimeoutNs;
    }

    /**
     * @param idleSpins idle cycles spent spinning.
     * @return this.
     */
    public SchedulerContext idleSpins(final int idleSpins)
    {
        this.idleSpins = idleSpins;
        return this;
    }

    /** @return idle cycles spent spinning. */
    public int idleSpins()
    {
        return idleSpins;
    }

    /**
     * @param idleYields idle cycles spent yielding, only while no task is in flight (with tasks in
     *                   flight the thread parks after spinning, to be woken by their completion).
     * @return this.
     */
    public SchedulerContext idleYields(final int idleYields)
    {
        this.idleYields = idleYields;
        return this;
    }

    /** @return idle cycles spent yielding. */
    public int idleYields()
    {
        return idleYields;
    }

    /**
     * @param idleMaxParkNs longest park of an idle device thread.
     * @return this.
     */
    public SchedulerContext idleMaxParkNs(final long idleMaxParkNs)
    {
        this.idleMaxParkNs = idleMaxParkNs;
        return this;
    }

    /** @return the longest park. */
    public long idleMaxParkNs()
    {
        return idleMaxParkNs;
    }

    /**
     * @param threadNamePrefix device threads are named prefix + device name.
     * @return this.
     */
    public SchedulerContext threadNamePrefix(final String threadNamePrefix)
    {
        this.threadNamePrefix = Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        return this;
    }

    /** @return the thread name prefix. */
    public String threadNamePrefix()
    {
        return threadNamePrefix;
    }

    /**
     * @param errorHandler receives exceptions caught on device threads (callbacks, bugs).
     * @return this.
     */
    public SchedulerContext errorHandler(final Consumer<Throwable> errorHandler)
    {
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        return this;
    }

    /** @return the error handler. */
    public Consumer<Throwable> errorHandler()
    {
        return errorHandler;
    }

    /**
     * Validates the settings.
     *
     * @return this.
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public SchedulerContext conclude()
    {
        if (drainTimeoutNs < 0 || idleSpins < 0 || idleYields < 0 || idleMaxParkNs < 1)
        {
            throw new IllegalArgumentException("bad idle/drain settings: drainTimeoutNs=" + drainTimeoutNs +
                ", idleSpins=" + idleSpins + ", idleYields=" + idleYields + ", idleMaxParkNs=" + idleMaxParkNs);
        }
        return this;
    }

    private static void printError(final Throwable t)
    {
        System.err.println("conduit scheduler: error on a device thread");
        t.printStackTrace(System.err);
    }
}
