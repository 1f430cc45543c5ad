package dev.conduit.scheduler;

/**
 * Per-device, per-class counters. Ids are stable and never reused for another meaning (they index
 * exported metrics).
 */
public enum DeviceCounter
{
    /** Requests completed, whatever the outcome. */
    REQUESTS(0),
    /** Bytes transferred by completed requests. */
    BYTES(1),
    /** Requests failed by an I/O error. */
    IO_ERRORS(2),
    /** Requests whose deadline passed. */
    TIMED_OUT(3),
    /** Requests cancelled. */
    CANCELLED(4),
    /** Requests failed because the scheduler shut down. */
    SHUT_DOWN(5),
    /** Tasks dispatched to the backend. */
    TASKS(6),
    /** Requests that rode in a task together with an earlier adjacent request. */
    MERGED(7),
    /** Merged tasks that failed and were retried request by request, so an error fails only its own request. */
    MERGE_RETRIES(8),
    /** Submissions refused by {@link IoScheduler#trySubmit} because the ring was full. */
    REJECTED(9),
    /** Exceptions thrown by completion callbacks (caught and counted; the device keeps running). */
    CALLBACK_ERRORS(10);

    private static final DeviceCounter[] VALUES = values();

    private final int id;

    DeviceCounter(final int id)
    {
        this.id = id;
    }

    /** @return the stable id. */
    public int id()
    {
        return id;
    }

    static int count()
    {
        return VALUES.length;
    }
}
