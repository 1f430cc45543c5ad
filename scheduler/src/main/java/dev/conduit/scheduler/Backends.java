package dev.conduit.scheduler;

import dev.conduit.nativebindings.uring.IoUringSupport;

/**
 * Picks a backend for a device: io_uring when this host has it ({@link IoUringSupport#probe()},
 * checked once per process), else the pread/pwrite pool.
 *
 * <p>Threading: thread-safe.
 */
public final class Backends
{
    private Backends()
    {
    }

    /** @return what the io_uring probe found (run once, then cached). */
    public static IoUringSupport ioUringSupport()
    {
        return ProbeHolder.SUPPORT;
    }

    /**
     * @param name       device name (thread names).
     * @param queueDepth tasks the backend must be able to hold in flight.
     * @return an {@link IoUringBackend} when io_uring is available, else a {@link PreadBackend}
     *         with {@code queueDepth} workers.
     */
    public static Backend createDefault(final String name, final int queueDepth)
    {
        return ioUringSupport().available() ? new IoUringBackend(name, queueDepth) :
            new PreadBackend(name + "-pread", queueDepth);
    }

    /**
     * @param name       device name.
     * @param target     the first target the device will serve.
     * @param queueDepth tasks the backend must be able to hold in flight.
     * @return {@link #createDefault} for an fd-backed target, else a {@link PreadBackend} (which
     *         calls the target's own {@code readv}/{@code writev}).
     */
    public static Backend createFor(final String name, final DeviceTarget target, final int queueDepth)
    {
        return target.fd() >= 0 ? createDefault(name, queueDepth) : new PreadBackend(name + "-pread", queueDepth);
    }

    private static final class ProbeHolder
    {
        static final IoUringSupport SUPPORT = IoUringSupport.probe();
    }
}
