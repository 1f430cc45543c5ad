package dev.conduit.scheduler;

/**
 * The device's preallocated {@link RequestState}s ({@link DeviceContext#maxRequests()}) and a stack
 * of the free ones. Bounded on purpose: when it is empty the agent stops polling the ring, so the
 * ring fills and producers feel backpressure instead of memory growing.
 *
 * <p>Threading: owned by the device's thread.
 */
final class RequestPool
{
    private final RequestState[] requests;
    private final int[] free;
    private int freeCount;

    /** @param capacity how many requests may be admitted at once. */
    RequestPool(final int capacity)
    {
        this.requests = new RequestState[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            requests[i] = new RequestState(i);
            free[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /** @return a free request; the caller checked {@link #hasFree()}. */
    RequestState acquire()
    {
        return requests[free[--freeCount]];
    }

    /** @param r a request that was acquired and has been cleared. */
    void release(final RequestState r)
    {
        free[freeCount++] = r.index;
    }

    /** @return true when a request can be admitted. */
    boolean hasFree()
    {
        return freeCount > 0;
    }

    /** @return true when no request is admitted. */
    boolean isAllFree()
    {
        return freeCount == requests.length;
    }

    /** @return how many requests are admitted. */
    int live()
    {
        return requests.length - freeCount;
    }

    /** @return every request, live or not (check {@link RequestState#live}); not to be modified. */
    RequestState[] all()
    {
        return requests;
    }
}
