package dev.conduit.scheduler;

import java.util.function.Consumer;

/**
 * The device's admitted requests that have a deadline, as an intrusive doubly linked list through
 * {@link RequestState#deadlinePrev}/{@link RequestState#deadlineNext}, with the time of the next
 * scan. A scan runs at the earliest live deadline, but not more often than every
 * {@code deadlineCheckIntervalNs}; between scans {@link #expire} costs one comparison.
 *
 * <p>Threading: owned by the device's thread, like the {@link RequestState}s it links.
 */
final class DeadlineList
{
    private final long checkIntervalNs;
    private RequestState head;
    private int count;
    private long nextCheckNs;

    /**
     * @param checkIntervalNs the shortest time between two scans.
     * @param nowNs           the current time.
     */
    DeadlineList(final long checkIntervalNs, final long nowNs)
    {
        this.checkIntervalNs = checkIntervalNs;
        this.nextCheckNs = nowNs;
    }

    /**
     * Hands every request whose deadline has passed, and which has not already failed, to
     * {@code expired}, which may {@link #unlink} it (directly or by finishing it).
     *
     * @param nowNs   the start of the current duty cycle.
     * @param expired fails an expired request.
     * @return how many requests expired.
     */
    int expire(final long nowNs, final Consumer<RequestState> expired)
    {
        if (count == 0 || (nowNs - nextCheckNs) < 0)
        {
            return 0;
        }
        int expiredCount = 0;
        boolean anyLeft = false;
        long earliestNs = 0;
        RequestState r = head;
        while (r != null)
        {
            // Read before the callback: expiring r may unlink it.
            final RequestState next = r.deadlineNext;
            if (r.failCode == 0)
            {
                if ((r.deadlineNs - nowNs) <= 0)
                {
                    expired.accept(r);
                    expiredCount++;
                }
                else if (!anyLeft || (r.deadlineNs - earliestNs) < 0)
                {
                    anyLeft = true;
                    earliestNs = r.deadlineNs;
                }
            }
            r = next;
        }
        final long notBeforeNs = nowNs + checkIntervalNs;
        nextCheckNs = anyLeft && (earliestNs - notBeforeNs) > 0 ? earliestNs : notBeforeNs;
        return expiredCount;
    }

    /** @param r a request with a deadline, not in the list. */
    void link(final RequestState r)
    {
        if (count == 0 || (r.deadlineNs - nextCheckNs) < 0)
        {
            nextCheckNs = r.deadlineNs;
        }
        r.deadlinePrev = null;
        r.deadlineNext = head;
        if (head != null)
        {
            head.deadlinePrev = r;
        }
        head = r;
        r.inDeadlineList = true;
        count++;
    }

    /** @param r a request in the list. */
    void unlink(final RequestState r)
    {
        final RequestState prev = r.deadlinePrev;
        final RequestState next = r.deadlineNext;
        if (prev == null)
        {
            head = next;
        }
        else
        {
            prev.deadlineNext = next;
        }
        if (next != null)
        {
            next.deadlinePrev = prev;
        }
        r.deadlinePrev = null;
        r.deadlineNext = null;
        r.inDeadlineList = false;
        count--;
    }
}
