package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The I/O scheduler: a set of {@link IoDevice}s, each with its own Disruptor ring, submit handler,
 * queue-depth limit and {@link Backend}. Every byte Conduit moves goes through here.
 *
 * <pre>{@code
 * try (IoScheduler scheduler = IoScheduler.launch(new IoScheduler.Context()))
 * {
 *     final IoDevice nvme0 = scheduler.addDevice("nvme0", new PreadBackend(), new DeviceContext().queueDepth(64));
 *     final TargetHandle file = nvme0.attach(FileTarget.open(path, true));
 *     final IoRequest request = new IoRequest().read(file, 0, buffer, 0, 1 << 20).priority(Priority.LATENCY);
 *     scheduler.submit(request, callback, 42);                   // zero-allocation form
 *     final long bytes = scheduler.submit(request).join();       // future form
 * }
 * }</pre>
 *
 * <p>Close order: stop accepting submissions, let every admitted request complete (bounded by
 * {@link Context#drainTimeoutNs}; queued requests still waiting after that fail with
 * {@link IoStatus#SHUTDOWN}, I/O in flight is always waited for), stop device threads, close
 * backends, free native memory. Requests that race with {@code close()} complete with
 * {@code SHUTDOWN}; none is left without a completion.
 *
 * <p>Threading: every public method is thread-safe. Each device has one thread (DEDICATED mode)
 * that runs its duty cycle and all its completion callbacks; in INVOKER mode the owner calls
 * {@link #doWork()} instead.
 */
public final class IoScheduler implements AutoCloseable
{
    private static final int MAX_DEVICES = 1 << 15;

    private final Context context;
    private volatile IoDevice[] devices = new IoDevice[0];
    private final Map<String, IoDevice> devicesByIdentity = new HashMap<>();
    private boolean closed;

    private IoScheduler(final Context context)
    {
        this.context = context;
    }

    /**
     * @param context settings (concluded here).
     * @return a running scheduler with no devices yet.
     */
    public static IoScheduler launch(final Context context)
    {
        return new IoScheduler(context.conclude());
    }

    /**
     * Adds a device with the default backend ({@link Backends#createDefault}: io_uring when
     * available, else the pread pool) sized to the context's queue depth.
     *
     * @param name          device name.
     * @param deviceContext its settings.
     * @return the running device.
     */
    public IoDevice addDevice(final String name, final DeviceContext deviceContext)
    {
        return addDevice(name, Backends.createDefault(name, deviceContext.queueDepth()), deviceContext);
    }

    /**
     * Adds a device with settings from system properties and defaults.
     *
     * @param name    device name (thread name, metrics).
     * @param backend its backend, used by this device only.
     * @return the running device.
     */
    public IoDevice addDevice(final String name, final Backend backend)
    {
        return addDevice(name, backend, new DeviceContext());
    }

    /**
     * Adds a device.
     *
     * @param name          device name (thread name, metrics).
     * @param backend       its backend, used by this device only.
     * @param deviceContext its settings (concluded here; queue depth capped at the backend's capacity).
     * @return the running device.
     */
    public IoDevice addDevice(final String name, final Backend backend, final DeviceContext deviceContext)
    {
        return addDevice(name, null, backend, deviceContext);
    }

    /**
     * Attaches a target to the device its I/O reaches, adding that device (with the default backend
     * for the target and default settings) the first time: one scheduler device per physical device,
     * so every target on one disk or file system shares one queue depth ({@link DeviceIdentity}).
     *
     * @param target the target.
     * @return its handle.
     */
    public TargetHandle attach(final DeviceTarget target)
    {
        return attach(target, new DeviceContext());
    }

    /**
     * Like {@link #attach(DeviceTarget)}; {@code deviceContext} is used only when the device is new.
     *
     * @param target        the target.
     * @param deviceContext settings for a device added for it.
     * @return its handle.
     */
    public TargetHandle attach(final DeviceTarget target, final DeviceContext deviceContext)
    {
        final String identity = DeviceIdentity.of(target);
        final IoDevice device;
        synchronized (this)
        {
            final IoDevice known = devicesByIdentity.get(identity);
            device = known != null ? known : addDevice(identity, identity,
                Backends.createFor(identity, target, deviceContext.queueDepth()), deviceContext);
        }
        return device.attach(target);
    }

    /**
     * @param identity a {@link DeviceIdentity}.
     * @return the device added for it by {@link #attach(DeviceTarget)}, or null.
     */
    public synchronized IoDevice deviceFor(final String identity)
    {
        return devicesByIdentity.get(identity);
    }

    /**
     * The device of a physical device, added the first time it is asked for: callers that choose
     * their own backend (a store forcing the pread pool, a future cuFile device) still get one
     * device per physical device.
     *
     * @param identity      a {@link DeviceIdentity}.
     * @param deviceContext settings for the device if it is new.
     * @param backends      makes the backend if the device is new: (device name, queue depth).
     * @return the device.
     */
    public synchronized IoDevice deviceFor(
        final String identity, final DeviceContext deviceContext, final BiFunction<String, Integer, Backend> backends)
    {
        final IoDevice known = devicesByIdentity.get(identity);
        if (known != null)
        {
            return known;
        }
        final String name = "dev" + devices.length;
        return addDevice(name, identity, backends.apply(name, deviceContext.queueDepth()), deviceContext);
    }

    private synchronized IoDevice addDevice(
        final String name, final String identity, final Backend backend, final DeviceContext deviceContext)
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        if (closed)
        {
            throw new ConduitException(ErrorCode.SCHEDULER_CLOSED, "scheduler is closed");
        }
        final IoDevice[] current = devices;
        if (current.length == MAX_DEVICES)
        {
            throw new IllegalStateException("at most " + MAX_DEVICES + " devices");
        }
        final IoDevice device = new IoDevice(this, current.length, name, identity, backend, deviceContext, context);
        final IoDevice[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = device;
        devices = next;
        if (identity != null)
        {
            devicesByIdentity.put(identity, device);
        }
        device.start();
        return device;
    }

    /** @return the devices, in the order added. */
    public List<IoDevice> devices()
    {
        return List.of(devices);
    }

    /** @return the clock deadlines and latencies are measured with. */
    public NanoClock clock()
    {
        return context.clock();
    }

    /**
     * Submits a request to its target's device, waiting while that device's ring is full.
     *
     * @param request  what to do (copied; reusable at once).
     * @param callback called once with the result.
     * @param tag      passed to the callback.
     * @return the request id.
     * @see IoDevice#submit(IoRequest, IoCallback, long)
     */
    public long submit(final IoRequest request, final IoCallback callback, final long tag)
    {
        return device(request).submit(request, callback, tag);
    }

    /**
     * Submits a request unless its device's ring is full.
     *
     * @param request  what to do.
     * @param callback called once with the result.
     * @param tag      passed to the callback.
     * @return the request id, or {@link IoStatus#REJECTED}.
     */
    public long trySubmit(final IoRequest request, final IoCallback callback, final long tag)
    {
        return device(request).trySubmit(request, callback, tag);
    }

    /**
     * Submits a request with a future (allocates).
     *
     * @param request what to do.
     * @return the future.
     */
    public IoFuture submit(final IoRequest request)
    {
        return device(request).submit(request);
    }

    /**
     * Reads {@code buffer.byteSize()} bytes at {@code offsetBytes} (convenience; allocates).
     *
     * @param target      attached target.
     * @param offsetBytes target-relative offset.
     * @param buffer      native destination.
     * @param priority    class.
     * @return the future.
     */
    public IoFuture read(
        final TargetHandle target, final long offsetBytes, final MemorySegment buffer, final Priority priority)
    {
        return submit(new IoRequest().read(target, offsetBytes, buffer, 0, buffer.byteSize()).priority(priority));
    }

    /**
     * Writes all of {@code buffer} at {@code offsetBytes} (convenience; allocates).
     *
     * @param target      attached target.
     * @param offsetBytes target-relative offset.
     * @param buffer      native source.
     * @param priority    class.
     * @return the future.
     */
    public IoFuture write(
        final TargetHandle target, final long offsetBytes, final MemorySegment buffer, final Priority priority)
    {
        return submit(new IoRequest().write(target, offsetBytes, buffer, 0, buffer.byteSize()).priority(priority));
    }

    /**
     * Asks for a request to be cancelled (see {@link IoDevice#cancel(long)}); unknown ids are ignored.
     *
     * @param requestId an id returned by a submit.
     */
    public void cancel(final long requestId)
    {
        final IoDevice[] devices = this.devices;
        final long deviceIndex = requestId >>> IoDevice.ID_SEQUENCE_BITS;
        if (requestId >= 0 && deviceIndex < devices.length)
        {
            devices[(int)deviceIndex].cancel(requestId);
        }
    }

    /**
     * Runs one duty cycle of every device (INVOKER mode only).
     *
     * @return total work done; 0 when all devices were idle.
     */
    public int doWork()
    {
        int work = 0;
        for (final IoDevice device : devices)
        {
            work += device.doWork();
        }
        return work;
    }

    /** Drains and stops every device (see the class comment); idempotent. */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final IoDevice[] devices = this.devices;
        for (final IoDevice device : devices)
        {
            device.beginClose();
        }
        RuntimeException failure = null;
        boolean interrupted = false;
        for (final IoDevice device : devices)
        {
            try
            {
                device.awaitClosed(context.drainTimeoutNs());
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
            catch (final RuntimeException e)
            {
                if (failure == null)
                {
                    failure = e;
                }
                else
                {
                    failure.addSuppressed(e);
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private static IoDevice device(final IoRequest request)
    {
        final TargetHandle target = request.target();
        if (target == null)
        {
            throw new IllegalArgumentException("request has no target: " + request);
        }
        return target.device();
    }

    /**
     * Scheduler-wide settings, each with a {@code *_DEFAULT} that setters override (the
     * {@code conduit} command sets them from its configuration); per-device settings are in
     * {@link DeviceContext}.
     *
     * <p>Threading: configure on one thread before {@link IoScheduler#launch}.
     */
    public static final class Context
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
        private Consumer<Throwable> errorHandler = IoScheduler::printError;

        /**
         * @param clock clock for deadlines and latency.
         * @return this.
         */
        public Context clock(final NanoClock clock)
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
        public Context threadingMode(final ThreadingMode threadingMode)
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
        public Context drainTimeoutNs(final long drainTimeoutNs)
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
        public Context idleSpins(final int idleSpins)
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
         * @param idleYields idle cycles spent yielding.
         * @return this.
         */
        public Context idleYields(final int idleYields)
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
        public Context idleMaxParkNs(final long idleMaxParkNs)
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
        public Context threadNamePrefix(final String threadNamePrefix)
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
        public Context errorHandler(final Consumer<Throwable> errorHandler)
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
        public Context conclude()
        {
            if (drainTimeoutNs < 0 || idleSpins < 0 || idleYields < 0 || idleMaxParkNs < 1)
            {
                throw new IllegalArgumentException("bad idle/drain settings: drainTimeoutNs=" + drainTimeoutNs +
                    ", idleSpins=" + idleSpins + ", idleYields=" + idleYields + ", idleMaxParkNs=" + idleMaxParkNs);
            }
            return this;
        }
    }

    private static void printError(final Throwable t)
    {
        System.err.println("conduit scheduler: error on a device thread");
        t.printStackTrace(System.err);
    }
}
