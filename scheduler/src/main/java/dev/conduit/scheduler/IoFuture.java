package dev.conduit.scheduler;

import java.util.concurrent.CompletableFuture;

/**
 * The {@link CompletableFuture} completion form: completes with the number of bytes transferred, or
 * exceptionally with the failure ({@link IoStatus#toException}: a {@code NativeException} whose code
 * is the errno name, e.g. {@code EIO} or {@code ETIME}, or a {@code CancellationException}). It is
 * an {@link IoCallback}, so the future form is the callback form with a future as the callback.
 *
 * <p>{@link #cancel(boolean)} differs from {@code CompletableFuture}'s: it asks the device to cancel
 * and returns at once; the future completes (with a {@code CancellationException}) only when none
 * of the request's I/O is still in flight, because until then the kernel may still write into the
 * caller's buffer. A request that finishes before the cancellation reaches it completes normally.
 *
 * <p>Threading: completed on the device's thread; dependent stages added with the non-async
 * methods run there too, so keep them short or use the {@code *Async} variants.
 */
public final class IoFuture extends CompletableFuture<Long> implements IoCallback
{
    private final String operation;
    private volatile IoDevice device;
    private volatile long requestId = -1;

    /**
     * @param operation description used in failure messages, e.g. {@code "read(dev/file, off=0, len=4096)"}.
     */
    public IoFuture(final String operation)
    {
        this.operation = operation;
    }

    void bind(final IoDevice device, final long requestId)
    {
        this.device = device;
        this.requestId = requestId;
    }

    /** @return the request id assigned at submission, or -1 before submission. */
    public long requestId()
    {
        return requestId;
    }

    @Override
    public void onComplete(final long tag, final long result)
    {
        if (result >= 0)
        {
            complete(result);
        }
        else
        {
            completeExceptionally(IoStatus.toException(result, operation));
        }
    }

    /**
     * Requests cancellation (see the class comment: completion follows once no I/O is in flight).
     *
     * @param mayInterruptIfRunning ignored; I/O is never interrupted, only not started.
     * @return false when already complete or not yet submitted, else true.
     */
    @Override
    public boolean cancel(final boolean mayInterruptIfRunning)
    {
        final IoDevice device = this.device;
        if (isDone() || device == null)
        {
            return false;
        }
        device.cancel(requestId);
        return true;
    }

    @Override
    public String toString()
    {
        return "IoFuture(" + operation + ", " + super.toString() + ")";
    }
}
