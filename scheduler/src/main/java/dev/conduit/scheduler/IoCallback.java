package dev.conduit.scheduler;

/**
 * The zero-allocation completion form: called exactly once per request, with the caller's
 * {@code tag} and the result. One callback instance can serve many requests; the tag tells them apart.
 *
 * <p>Threading: called on the device's thread (or the thread calling {@link IoScheduler#close()}
 * for requests that race with shutdown). It must be short and must not block; it may submit new
 * requests with {@link IoScheduler#trySubmit} (a blocking submit to a full ring from the device's
 * own thread fails with {@code RING_FULL} instead of deadlocking).
 */
@FunctionalInterface
public interface IoCallback
{
    /**
     * @param tag    the value passed at submission.
     * @param result bytes transferred ({@code >= 0}; fewer than requested only at end of file), or a
     *               negative {@link IoStatus} code: {@code -errno} of the failed I/O, or
     *               {@link IoStatus#TIMED_OUT}, {@link IoStatus#CANCELLED}, {@link IoStatus#SHUTDOWN}.
     */
    void onComplete(long tag, long result);
}
