package dev.conduit.scheduler;

/**
 * An intrusive FIFO of {@link RequestState}s (linked through their {@code prev}/{@code next}
 * fields): O(1) append, prepend and removal from anywhere, no allocation. Bounded by the request
 * pool it links. Owned by the device's thread.
 */
final class RequestQueue
{
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
    }
}
