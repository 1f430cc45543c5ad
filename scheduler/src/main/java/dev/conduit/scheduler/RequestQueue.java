package dev.conduit.scheduler;

/**
 * An intrusive FIFO of {@link RequestState}s (linked through their {@code prev}/{@code next}
 * fields): O(1) append, prepend and removal from anywhere, no allocation. Bounded by the request
 * pool it links. Owned by the device's thread.
 *
 * <p>It also keeps a counting filter of the start offsets of its merge candidates, so the search
 * for an adjacent request can be skipped, in O(1), when no queued candidate can start where a task
 * ends (the common case for random I/O). A hit may be false; a miss is always right.
 */
final class RequestQueue
{
    private static final int FILTER_SLOTS = 256;

    private final int[] startCounts = new int[FILTER_SLOTS];
    private RequestState head;
    private RequestState tail;
    private int size;

    RequestState head()
    {
        return head;
    }

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    void addLast(final RequestState r)
    {
        r.prev = tail;
        r.next = null;
        if (tail == null)
        {
            head = r;
        }
        else
        {
            tail.next = r;
        }
        tail = r;
        r.queued = true;
        size++;
        count(r, 1);
    }

    void addFirst(final RequestState r)
    {
        r.next = head;
        r.prev = null;
        if (head == null)
        {
            tail = r;
        }
        else
        {
            head.prev = r;
        }
        head = r;
        r.queued = true;
        size++;
        count(r, 1);
    }

    /**
     * @param offsetBytes a target offset.
     * @return false when no queued merge candidate starts at {@code offsetBytes}; true when one may.
     */
    boolean mayHoldCandidateAt(final long offsetBytes)
    {
        return startCounts[slot(offsetBytes)] != 0;
    }

    private void count(final RequestState r, final int delta)
    {
        if (r.mergeCandidate)
        {
            startCounts[slot(r.offsetBytes)] += delta;
        }
    }

    private static int slot(final long offsetBytes)
    {
        return (int)((offsetBytes * 0x9E3779B97F4A7C15L) >>> 56);
    }

    void remove(final RequestState r)
    {
        final RequestState prev = r.prev;
        final RequestState next = r.next;
        if (prev == null)
        {
            head = next;
        }
        else
        {
            prev.next = next;
        }
        if (next == null)
        {
            tail = prev;
        }
        else
        {
            next.prev = prev;
        }
        r.prev = null;
        r.next = null;
        r.queued = false;
        size--;
        count(r, -1);
    }
}
