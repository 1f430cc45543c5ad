package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The I/O scheduler: a set of {@link IoDevice}s, each with its own Disruptor ring, submit handler,
 * queue-depth limit and {@link Backend}. Every byte Conduit moves goes through here.
 *
 * <pre>{@code
 * try (IoScheduler scheduler = IoScheduler.launch(new SchedulerContext()))
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
 * {@link SchedulerContext#drainTimeoutNs}; queued requests still waiting after that fail with
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

    private final SchedulerContext context;
    private volatile IoDevice[] devices = new IoDevice[0];
    private final Map<String, IoDevice> devicesByIdentity = new HashMap<>();
    private boolean closed;

    private IoScheduler(final SchedulerContext context)
    {
        this.context = context;
    }

    /**
     * @param context settings (concluded here).
     * @return a running scheduler with no devices yet.
     */
    public static IoScheduler launch(final SchedulerContext context)
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
}
