package dev.conduit.blocklayout;

import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import dev.conduit.blocklayout.namespace.Namespace;

/**
 * Parameters of {@link ObjectStore#open} and {@link DataDirectory#open}.
 *
 * @param clockMs          source of {@code createdMs} for puts (injectable for reproducible tests).
 * @param lenient          open a damaged store anyway and record the damage for {@link ObjectStore#fsck}
 *                         instead of refusing with {@code CORRUPT}; used by fsck.
 * @param namespaceWrapper applied to every namespace {@link DataDirectory#open} opens, before the
 *                         store sees it; this is how the I/O scheduler routes the store's reads and
 *                         writes (block-layout cannot depend on the scheduler). The wrapper owns
 *                         the namespace it wraps and closes it.
 */
public record StoreOptions(LongSupplier clockMs, boolean lenient, UnaryOperator<Namespace> namespaceWrapper)
{
    /** Wall clock, strict open, namespaces used as opened. */
    public static final StoreOptions DEFAULT = new StoreOptions(System::currentTimeMillis, false);

    /** Checks the arguments. */
    public StoreOptions
    {
        if (clockMs == null)
        {
            throw new IllegalArgumentException("clockMs must not be null");
        }
        if (namespaceWrapper == null)
        {
            throw new IllegalArgumentException("namespaceWrapper must not be null");
        }
    }

    /**
     * Options without a namespace wrapper.
     *
     * @param clockMs source of timestamps.
     * @param lenient open damaged stores for fsck.
     */
    public StoreOptions(final LongSupplier clockMs, final boolean lenient)
    {
        this(clockMs, lenient, UnaryOperator.identity());
    }

    /** @return a copy that opens damaged stores for fsck. */
    public StoreOptions asLenient()
    {
        return new StoreOptions(clockMs, true, namespaceWrapper);
    }

    /**
     * @param clock source of timestamps.
     * @return a copy with that clock.
     */
    public StoreOptions withClock(final LongSupplier clock)
    {
        return new StoreOptions(clock, lenient, namespaceWrapper);
    }

    /**
     * @param wrapper applied to each namespace {@link DataDirectory#open} opens.
     * @return a copy with that wrapper.
     */
    public StoreOptions withNamespaceWrapper(final UnaryOperator<Namespace> wrapper)
    {
        return new StoreOptions(clockMs, lenient, wrapper);
    }
}
