package dev.conduit.scheduler;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The device thread's view of its attached targets, by handle index: how many requests of each are
 * live (admitted and not yet finished), and a detach waiting for that count to reach zero. A detach
 * completes only then, because a queued request dispatched after the backend released the target's
 * slot, or after the index named another target, would reach the wrong file.
 *
 * <p>Threading: device thread only. Allocates only when a higher handle index first appears.
 */
final class TargetTable
{
    private static final int INITIAL_TARGETS = 16;

    private final Backend backend;
    private final Consumer<Throwable> errorHandler;
    private int[] liveRequests = new int[INITIAL_TARGETS];
    private DeviceCommand.Detach[] pendingDetach = new DeviceCommand.Detach[INITIAL_TARGETS];

    TargetTable(final Backend backend, final Consumer<Throwable> errorHandler)
    {
        this.backend = backend;
        this.errorHandler = errorHandler;
    }

    /** A request of {@code handle} was admitted. */
    void admitted(final TargetHandle handle)
    {
        final int index = handle.index();
        if (index >= liveRequests.length)
        {
            grow(index);
        }
        liveRequests[index]++;
    }

    /** A request of {@code handle} finished; completes a waiting detach when it was the last. */
    void finished(final TargetHandle handle)
    {
        final int index = handle.index();
        if (--liveRequests[index] == 0 && pendingDetach[index] != null)
        {
            complete(pendingDetach[index]);
        }
    }

    /** Completes {@code detach} now when its target has no live request, else when the last one finishes. */
    void detachWhenIdle(final DeviceCommand.Detach detach)
    {
        final int index = detach.handle().index();
        if (index >= liveRequests.length)
        {
            grow(index);
        }
        if (liveRequests[index] == 0)
        {
            complete(detach);
        }
        else
        {
            pendingDetach[index] = detach;
        }
    }

    private void complete(final DeviceCommand.Detach detach)
    {
        pendingDetach[detach.handle().index()] = null;
        try
        {
            backend.detach(detach.handle());
        }
        catch (final RuntimeException e)
        {
            // The slot keeps the old file until the next attach overwrites it; the detach itself still holds.
            errorHandler.accept(e);
        }
        detach.detached();
    }

    private void grow(final int index)
    {
        final int length = Math.max(index + 1, liveRequests.length * 2);
        liveRequests = Arrays.copyOf(liveRequests, length);
        pendingDetach = Arrays.copyOf(pendingDetach, length);
    }
}
