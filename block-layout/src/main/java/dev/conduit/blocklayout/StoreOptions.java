package dev.conduit.blocklayout;

import java.util.function.LongSupplier;

/**
 * Parameters of {@link ObjectStore#open}.
 *
 * @param clockMs source of {@code createdMs} for puts (injectable for reproducible tests).
 * @param lenient open a damaged store anyway and record the damage for {@link ObjectStore#fsck}
 *                instead of refusing with {@code CORRUPT}; used by fsck.
 */
public record StoreOptions(LongSupplier clockMs, boolean lenient)
{
    /** Wall clock, strict open. */
    public static final StoreOptions DEFAULT = new StoreOptions(System::currentTimeMillis, false);

    /** Checks the clock. */
    public StoreOptions
    {
        if (clockMs == null)
        {
            throw new IllegalArgumentException("clockMs must not be null");
        }
    }

    /** @return a copy that opens damaged stores for fsck. */
    public StoreOptions asLenient()
    {
        return new StoreOptions(clockMs, true);
    }

    /**
     * @param clock source of timestamps.
     * @return a copy with that clock.
     */
    public StoreOptions withClock(final LongSupplier clock)
    {
        return new StoreOptions(clock, lenient);
    }
}
