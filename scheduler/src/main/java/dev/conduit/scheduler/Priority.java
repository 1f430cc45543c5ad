package dev.conduit.scheduler;

/**
 * The priority class of a request. Each device serves {@link #LATENCY} before {@link #BULK}, but
 * never starves {@code BULK}: after {@link DeviceContext#latencyBurst()} consecutive
 * {@code LATENCY} dispatches while {@code BULK} work waits, one {@code BULK} task goes next, and
 * {@code BULK} may never fill the last {@link DeviceContext#latencyReserve()} queue-depth slots,
 * so a {@code LATENCY} request arriving during a {@code BULK} flood is dispatched without waiting
 * for a {@code BULK} completion.
 */
public enum Priority
{
    /** Interactive reads (S3 GETs): dispatched first. */
    LATENCY,
    /** Prefetch and training reads, background writes: dispatched when no LATENCY work waits. */
    BULK;

    private static final Priority[] VALUES = values();

    /**
     * @param ordinal an {@link #ordinal()}.
     * @return the class with that ordinal, without allocating.
     */
    static Priority of(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
